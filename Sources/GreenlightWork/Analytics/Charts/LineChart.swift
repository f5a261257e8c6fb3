/// A line chart drawn as SVG text — one or more series over the same categories, typically
/// weeks (approval, edit and rejection rate week by week). Each series has its own colour, dash
/// pattern and `chart-series-N` class, a point per value with a tooltip, and a legend entry; the
/// `<desc>` lists every value of every series for screen readers.
///
/// A `nil` value (a week with no decisions) leaves a gap in the line and reads "no data" in the
/// description. When there are more than 12 categories only every n-th label is drawn on the
/// axis (all of them stay in the description). Every text given is XML-escaped. No `style`
/// attributes: see ``ChartFrame``.
public struct LineChart: Sendable, Hashable {
    /// One line: its name and a value per category (`nil` where there is none).
    public struct Series: Sendable, Hashable {
        /// The series' name, shown in the legend ("Approval rate").
        public var name: String
        /// One value per category, in the chart's category order; missing trailing values count as `nil`.
        public var values: [Double?]

        /// A series named `name` with `values`.
        public init(name: String, values: [Double?]) {
            self.name = name
            self.values = values
        }
    }

    /// The element id (unique on the page), from which the `<title>`/`<desc>` ids are made.
    public var id: String
    /// The chart's title, drawn on top and used as its accessible name.
    public var title: String
    /// What the categories are ("Week"), shown under the horizontal axis.
    public var categoryAxisLabel: String
    /// What the values are ("Share of reviewed emails"), shown beside the vertical axis.
    public var valueAxisLabel: String
    /// The categories along the horizontal axis ("2025-W14"), left to right.
    public var categories: [String]
    /// The lines.
    public var series: [Series]
    /// How values are written.
    public var format: ChartValueFormat
    /// A fixed top for the value axis (1 for rates), or `nil` to fit the data.
    public var valueMaximum: Double?
    /// The drawing's width in pixels.
    public var width: Int
    /// The drawing's height in pixels.
    public var height: Int

    /// A line chart; nothing is drawn until ``render()``.
    public init(
        id: String, title: String, categoryAxisLabel: String, valueAxisLabel: String, categories: [String], series: [Series],
        format: ChartValueFormat = .percent(places: 1), valueMaximum: Double? = nil, width: Int = 640, height: Int = 320
    ) {
        self.id = id
        self.title = title
        self.categoryAxisLabel = categoryAxisLabel
        self.valueAxisLabel = valueAxisLabel
        self.categories = categories
        self.series = series
        self.format = format
        self.valueMaximum = valueMaximum
        self.width = width
        self.height = height
    }

    /// Whether there is at least one finite value to draw.
    public var hasData: Bool {
        !categories.isEmpty && series.contains { line in line.values.prefix(categories.count).contains { $0?.isFinite == true } }
    }

    /// The text alternative: every series with its value for every category, or "no data".
    public var textAlternative: String {
        guard hasData else { return "\(title): no data." }
        let lines = series.map { line in
            let figures = categories.indices.map { index in
                "\(categories[index]) \(figureText(value(of: line, at: index)))"
            }
            return "\(line.name): \(figures.joined(separator: ", "))"
        }
        return "Line chart of \(valueAxisLabel) by \(categoryAxisLabel). \(lines.joined(separator: "; "))."
    }

    /// The complete `<svg>` element.
    public func render() -> String {
        let frame = ChartFrame(id: id, kind: "line", title: title, description: textAlternative, width: width, height: height)
        guard hasData else { return frame.noData() }

        // The right margin holds half of the last category's label, which is centred on its point:
        // a date ("2026-11-26") at 11 px is about 60 px wide.
        let left = 64, right = 40, top = 40, legendRows = (series.count + 2) / 3
        let plotBottom = height - 62 - legendRows * 18
        let plotWidth = Double(max(width - left - right, 10)), plotHeight = Double(max(plotBottom - top, 10))
        let finite = series.flatMap { $0.values.compactMap { $0 } }.filter(\.isFinite)
        let scale = ChartScale(dataMaximum: finite.max() ?? 0, fixedTop: valueMaximum, fractional: format.allowsFractionalTicks)
        func x(_ index: Int) -> Double {
            categories.count == 1 ? Double(left) + plotWidth / 2 : Double(left) + plotWidth * Double(index) / Double(categories.count - 1)
        }
        func y(_ value: Double) -> Double { Double(plotBottom) - scale.fraction(value) * plotHeight }

        var svg = frame.open()
        svg += "<g class=\"chart-axis chart-axis-value\">\n"
        for tick in scale.ticks {
            let ty = SVGText.fixed(y(tick))
            svg += "<line class=\"chart-grid\" x1=\"\(left)\" y1=\"\(ty)\" x2=\"\(width - right)\" y2=\"\(ty)\" stroke=\"#dddddd\"/>\n"
            svg += "<text x=\"\(left - 6)\" y=\"\(ty)\" dy=\"4\" text-anchor=\"end\" font-size=\"11\">\(SVGText.escape(format.format(tick)))</text>\n"
        }
        let middle = top + Int(plotHeight / 2)
        svg +=
            "<text class=\"chart-axis-label\" x=\"14\" y=\"\(middle)\" transform=\"rotate(-90 14 \(middle))\" text-anchor=\"middle\" font-weight=\"bold\">\(SVGText.escape(valueAxisLabel))</text>\n"
        svg += "</g>\n<g class=\"chart-axis chart-axis-category\">\n"
        svg += "<line x1=\"\(left)\" y1=\"\(plotBottom)\" x2=\"\(width - right)\" y2=\"\(plotBottom)\" stroke=\"#444444\"/>\n"
        let every = (categories.count + 11) / 12
        for index in categories.indices {
            let cx = SVGText.fixed(x(index))
            svg += "<line x1=\"\(cx)\" y1=\"\(plotBottom)\" x2=\"\(cx)\" y2=\"\(plotBottom + 4)\" stroke=\"#444444\"/>\n"
            if index % every == 0 {
                svg +=
                    "<text x=\"\(cx)\" y=\"\(plotBottom + 17)\" text-anchor=\"middle\" font-size=\"11\">\(SVGText.escape(SVGText.truncated(categories[index], to: 12)))</text>\n"
            }
        }
        svg +=
            "<text class=\"chart-axis-label\" x=\"\(left + Int(plotWidth / 2))\" y=\"\(plotBottom + 36)\" text-anchor=\"middle\" font-weight=\"bold\">\(SVGText.escape(categoryAxisLabel))</text>\n"
        svg += "</g>\n"

        for (number, line) in series.enumerated() {
            let colour = ChartFrame.palette[number % ChartFrame.palette.count]
            let dash = ChartFrame.dashes[number % ChartFrame.dashes.count]
            var path = "", points = "", penDown = false
            for index in categories.indices {
                guard let value = value(of: line, at: index), value.isFinite else { penDown = false; continue }
                let px = SVGText.fixed(x(index)), py = SVGText.fixed(y(value))
                path += "\(penDown ? "L" : "M")\(px) \(py) "
                penDown = true
                points +=
                    "<circle cx=\"\(px)\" cy=\"\(py)\" r=\"3\" fill=\"\(colour)\"><title>\(SVGText.escape("\(line.name), \(categories[index]): \(format.format(value))"))</title></circle>"
            }
            let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
            svg += "<g class=\"chart-series chart-series-\(number)\">"
            if !path.isEmpty {
                svg += "<path d=\"\(path.dropLast())\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dashAttribute)/>"
            }
            svg += points + "</g>\n"
        }

        svg += "<g class=\"chart-legend\">\n"
        for (number, line) in series.enumerated() {
            let colour = ChartFrame.palette[number % ChartFrame.palette.count]
            let dash = ChartFrame.dashes[number % ChartFrame.dashes.count]
            let lx = left + (number % 3) * 190, ly = plotBottom + 56 + (number / 3) * 18
            let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
            svg +=
                "<line class=\"chart-series-\(number)\" x1=\"\(lx)\" y1=\"\(ly - 4)\" x2=\"\(lx + 24)\" y2=\"\(ly - 4)\" stroke=\"\(colour)\" stroke-width=\"2\"\(dashAttribute)/>"
            svg += "<text x=\"\(lx + 30)\" y=\"\(ly)\">\(SVGText.escape(SVGText.truncated(line.name, to: 26)))</text>\n"
        }
        svg += "</g>\n"
        return svg + frame.close()
    }

    /// The series' value for the category at `index`, `nil` when missing.
    private func value(of line: Series, at index: Int) -> Double? {
        index < line.values.count ? line.values[index] : nil
    }

    /// A value as the chart writes it; missing or non-finite values read "no data".
    private func figureText(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "no data" }
        return format.format(value)
    }
}
