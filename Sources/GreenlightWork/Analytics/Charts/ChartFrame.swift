/// The parts every chart shares: the `<svg>` element with its accessible name and description,
/// the visible title, and the "no data" picture drawn instead of an empty plot.
///
/// Only presentation attributes (`fill`, `stroke`, `font-size`, …) and classes are written —
/// never a `style` attribute or `<style>` element — so the markup passes a Content-Security-
/// Policy of `default-src 'self'; style-src 'self'`, and `Public/css` can restyle it by class.
struct ChartFrame: Sendable {
    let id: String
    let kind: String
    let title: String
    let description: String
    let width: Int
    let height: Int

    init(id: String, kind: String, title: String, description: String, width: Int, height: Int) {
        self.id = SVGText.identifier(id)
        self.kind = kind
        self.title = title
        self.description = description
        self.width = width
        self.height = height
    }

    /// The opening `<svg>`, its `<title>` and `<desc>`, and the title drawn at the top.
    func open() -> String {
        let titleID = "\(id)-title", descID = "\(id)-desc"
        return """
            <svg xmlns="http://www.w3.org/2000/svg" id="\(id)" class="chart chart-\(kind)" role="img" \
            aria-labelledby="\(titleID) \(descID)" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" \
            font-family="sans-serif" font-size="12" fill="#222222">
            <title id="\(titleID)">\(SVGText.escape(title))</title>
            <desc id="\(descID)">\(SVGText.escape(description))</desc>
            <text class="chart-title" x="\(width / 2)" y="20" text-anchor="middle" font-size="15" font-weight="bold">\(SVGText.escape(title))</text>

            """
    }

    /// The closing tag.
    func close() -> String {
        "</svg>\n"
    }

    /// A whole chart that says there is nothing to show, instead of an empty or broken plot.
    func noData() -> String {
        open()
            + "<rect class=\"chart-empty\" x=\"1\" y=\"30\" width=\"\(width - 2)\" height=\"\(height - 31)\" fill=\"none\" stroke=\"#bbbbbb\" stroke-dasharray=\"4 4\"/>\n"
            + "<text class=\"chart-no-data\" x=\"\(width / 2)\" y=\"\(height / 2 + 15)\" text-anchor=\"middle\" font-size=\"14\" fill=\"#666666\">No data</text>\n"
            + close()
    }

    /// The fixed colours of series and bars (Okabe–Ito, readable by colour-blind readers); the
    /// `chart-series-N` class lets CSS override them.
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

    /// Dash patterns that tell series apart without colour.
    static let dashes = ["", "6 3", "2 3", "8 3 2 3"]
}
