/// A horizontal bar chart drawn as SVG text — rejection reasons, a score histogram, reviewer
/// throughput. One labelled bar per category, its value written at the bar's end, a value axis
/// with round ticks, and a `<desc>` that lists every figure for screen readers.
///
/// Horizontal so long labels ("Wrong person / wrong role") stay readable; labels longer than
/// 24 characters are shortened on the drawing but kept whole in the bar's tooltip and in the
/// description. Negative and non-finite values are drawn as empty bars. Every text given is
/// XML-escaped. No `style` attributes: see ``ChartFrame``.
public struct BarChart: Sendable, Hashable {
    /// One bar: what it counts and how much.
    public struct Bar: Sendable, Hashable {
        /// The category, shown beside the bar.
        public var label: String
        /// The bar's length in the chart's units.
        public var value: Double

        /// A bar for `label` of length `value`.
        public init(label: String, value: Double) {
            self.label = label
            self.value = value
        }
    }

    /// The element id (unique on the page), from which the `<title>`/`<desc>` ids are made.
    public var id: String
    /// The chart's title, drawn on top and used as its accessible name.
    public var title: String
    /// What the bars are ("Rejection reason"), shown over the labels.
    public var categoryAxisLabel: String
    /// What the values are ("Emails"), shown under the value axis.
    public var valueAxisLabel: String
    /// The bars, drawn top to bottom in this order.
    public var bars: [Bar]
    /// How values are written.
    public var format: ChartValueFormat
    /// A fixed end for the value axis (1 for rates), or `nil` to fit the data.
    public var valueMaximum: Double?
    /// The drawing's width in pixels.
    public var width: Int

    /// A bar chart; nothing is drawn until ``render()``.
    public init(
        id: String, title: String, categoryAxisLabel: String, valueAxisLabel: String, bars: [Bar],
        format: ChartValueFormat = .integer, valueMaximum: Double? = nil, width: Int = 640
    ) {
        self.id = id
        self.title = title
        self.categoryAxisLabel = categoryAxisLabel
        self.valueAxisLabel = valueAxisLabel
        self.bars = bars
        self.format = format
        self.valueMaximum = valueMaximum
        self.width = width
    }

    /// The text alternative: every bar's label and value, in order, or "No data." when empty.
    public var textAlternative: String {
        guard !bars.isEmpty else { return "\(title): no data." }
        let figures = bars.map { "\($0.label): \(figureText($0.value))" }.joined(separator: "; ")
        return "Bar chart of \(valueAxisLabel) by \(categoryAxisLabel). \(figures)."
    }

    /// The complete `<svg>` element.
    public func render() -> String {
        let rowHeight = 26, top = 52, bottom = 52, labelWidth = 180, valueWidth = 70
        let height = top + max(bars.count, 1) * rowHeight + bottom
        let frame = ChartFrame(id: id, kind: "bar", title: title, description: textAlternative, width: width, height: bars.isEmpty ? 160 : height)
        guard !bars.isEmpty else { return frame.noData() }

        let plotLeft = labelWidth, plotWidth = max(width - labelWidth - valueWidth, 10)
        let plotBottom = top + bars.count * rowHeight
        let finite = bars.map(\.value).filter(\.isFinite)
        let scale = ChartScale(dataMaximum: finite.max() ?? 0, fixedTop: valueMaximum, fractional: format.allowsFractionalTicks)
        var svg = frame.open()
        svg +=
            "<text class=\"chart-axis-label\" x=\"\(plotLeft - 8)\" y=\"\(top - 8)\" text-anchor=\"end\" font-weight=\"bold\">\(SVGText.escape(categoryAxisLabel))</text>\n"

        svg += "<g class=\"chart-axis chart-axis-value\">\n"
        for tick in scale.ticks {
            let x = SVGText.fixed(Double(plotLeft) + scale.fraction(tick) * Double(plotWidth))
            svg += "<line class=\"chart-grid\" x1=\"\(x)\" y1=\"\(top)\" x2=\"\(x)\" y2=\"\(plotBottom)\" stroke=\"#dddddd\"/>\n"
            svg += "<text x=\"\(x)\" y=\"\(plotBottom + 16)\" text-anchor=\"middle\" font-size=\"11\">\(SVGText.escape(format.format(tick)))</text>\n"
        }
        svg += "<line x1=\"\(plotLeft)\" y1=\"\(plotBottom)\" x2=\"\(plotLeft + plotWidth)\" y2=\"\(plotBottom)\" stroke=\"#444444\"/>\n"
        svg +=
            "<text class=\"chart-axis-label\" x=\"\(plotLeft + plotWidth / 2)\" y=\"\(plotBottom + 38)\" text-anchor=\"middle\" font-weight=\"bold\">\(SVGText.escape(valueAxisLabel))</text>\n"
        svg += "</g>\n"

        svg += "<g class=\"chart-bars\">\n"
        for (index, bar) in bars.enumerated() {
            let y = top + index * rowHeight
            let length = bar.value.isFinite ? scale.fraction(bar.value) * Double(plotWidth) : 0
            let colour = ChartFrame.palette[0]
            svg += "<g class=\"chart-bar\">"
            svg += "<title>\(SVGText.escape("\(bar.label): \(figureText(bar.value))"))</title>"
            svg += "<text x=\"\(plotLeft - 8)\" y=\"\(y + 17)\" text-anchor=\"end\">\(SVGText.escape(SVGText.truncated(bar.label, to: 24)))</text>"
            svg += "<rect x=\"\(plotLeft)\" y=\"\(y + 4)\" width=\"\(SVGText.fixed(length))\" height=\"\(rowHeight - 8)\" fill=\"\(colour)\"/>"
            svg += "<text x=\"\(SVGText.fixed(Double(plotLeft) + length + 6))\" y=\"\(y + 17)\">\(SVGText.escape(figureText(bar.value)))</text>"
            svg += "</g>\n"
        }
        svg += "</g>\n"
        return svg + frame.close()
    }

    /// A value as the chart writes it; non-finite values read "no value".
    private func figureText(_ value: Double) -> String {
        value.isFinite ? format.format(value) : "no value"
    }
}
