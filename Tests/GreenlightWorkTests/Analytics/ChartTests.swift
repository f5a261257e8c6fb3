import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import Testing
import GreenlightTestSupport

/// The server-drawn SVG charts: hostile text is escaped, the text alternative lists every
/// figure, nothing needs inline styles (CSP `style-src 'self'`), empty data draws "No data",
/// and the output is deterministic.
@Suite("Charts: SVG bar and line charts")
struct ChartTests {
    static let hostile = "</text><script>alert('x')</script> & \"quoted\""
    static let escapedHostile = "&lt;/text&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"

    let reasons = BarChart(
        id: "rejections", title: "Rejection reasons", categoryAxisLabel: "Reason", valueAxisLabel: "Emails",
        bars: [
            .init(label: "Wrong tone", value: 12),
            .init(label: "Too long", value: 5),
            .init(label: "Factual error about the company", value: 0),
        ])

    let weekly = LineChart(
        id: "weekly", title: "Week by week", categoryAxisLabel: "Week", valueAxisLabel: "Share of reviewed emails",
        categories: ["2025-W14", "2025-W15", "2025-W16"],
        series: [
            .init(name: "Approval rate", values: [0.9, 0.953, 0.97]),
            .init(name: "Edit rate", values: [0.08, nil, 0.025]),
            .init(name: "Rejection rate", values: [0.02, 0.047]),
        ],
        valueMaximum: 1)

    /// Every `<svg>` we draw must pass the page's Content-Security-Policy without inline styles.
    func expectNoInlineStyle(_ svg: String) {
        #expect(!svg.contains("style="))
        #expect(!svg.contains("<style"))
        #expect(!svg.contains("<script"))
    }

    @Test("a bar chart is one accessible <svg> whose title and desc it names")
    func barStructure() {
        let svg = reasons.render()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"rejections\""))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("aria-labelledby=\"rejections-title rejections-desc\""))
        #expect(svg.contains("<title id=\"rejections-title\">Rejection reasons</title>"))
        #expect(svg.contains("<desc id=\"rejections-desc\">"))
        #expect(svg.hasSuffix("</svg>\n"))
        // Axis: 12 fits 0, 5, 10, 15 (step niceStep(12/4 = 3) = 5).
        for tick in [">0</text>", ">5</text>", ">10</text>", ">15</text>"] { #expect(svg.contains(tick)) }
        #expect(svg.contains(">Reason</text>") && svg.contains(">Emails</text>"))
        expectNoInlineStyle(svg)
    }

    @Test("the bar chart's text alternative lists every bar and value")
    func barTextAlternative() {
        #expect(reasons.textAlternative == "Bar chart of Emails by Reason. Wrong tone: 12; Too long: 5; Factual error about the company: 0.")
        #expect(reasons.render().contains("<desc id=\"rejections-desc\">\(reasons.textAlternative)</desc>"))
    }

    @Test("hostile labels, titles and ids are escaped everywhere in a bar chart")
    func barEscaping() {
        let chart = BarChart(
            id: "x\" onload=\"alert(1)", title: Self.hostile, categoryAxisLabel: Self.hostile, valueAxisLabel: "n",
            bars: [.init(label: Self.hostile, value: 3)])
        let svg = chart.render()
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("'x'"))
        #expect(!svg.contains("onload=\""))
        #expect(svg.contains("id=\"xonloadalert1\""))
        #expect(svg.contains("<title id=\"xonloadalert1-title\">\(Self.escapedHostile)</title>"))
        #expect(svg.contains("<title>\(Self.escapedHostile): 3</title>"))
        expectNoInlineStyle(svg)
    }

    @Test("empty bars draw a clear No data chart")
    func barEmpty() {
        let svg = BarChart(id: "empty", title: "Rejection reasons", categoryAxisLabel: "Reason", valueAxisLabel: "Emails", bars: []).render()
        #expect(svg.contains(">No data</text>"))
        #expect(svg.contains("<desc id=\"empty-desc\">Rejection reasons: no data.</desc>"))
        #expect(!svg.contains("nan") && !svg.contains("inf"))
        expectNoInlineStyle(svg)
    }

    @Test("all-zero and non-finite bars draw without dividing by zero")
    func barZeros() {
        let svg = BarChart(
            id: "zeros", title: "Scores", categoryAxisLabel: "Band", valueAxisLabel: "Emails",
            bars: [.init(label: "0–9", value: 0), .init(label: "10–19", value: .nan)]
        ).render()
        #expect(svg.contains("width=\"0.0\""))
        #expect(svg.contains("10–19: no value"))
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test("percent bars use fixed decimals and a fixed 0…100% axis")
    func barPercent() {
        let chart = BarChart(
            id: "share", title: "Share", categoryAxisLabel: "Reason", valueAxisLabel: "Share", bars: [.init(label: "Tone", value: 0.4567)],
            format: .percent(places: 1), valueMaximum: 1)
        let svg = chart.render()
        #expect(chart.textAlternative.hasSuffix("Tone: 45.7%."))
        for tick in [">0.0%<", ">25.0%<", ">50.0%<", ">75.0%<", ">100.0%<"] { #expect(svg.contains(tick)) }
    }

    @Test("the line chart's text alternative lists every value of every series, gaps as no data")
    func lineTextAlternative() {
        #expect(
            weekly.textAlternative == "Line chart of Share of reviewed emails by Week. "
                + "Approval rate: 2025-W14 90.0%, 2025-W15 95.3%, 2025-W16 97.0%; "
                + "Edit rate: 2025-W14 8.0%, 2025-W15 no data, 2025-W16 2.5%; "
                + "Rejection rate: 2025-W14 2.0%, 2025-W15 4.7%, 2025-W16 no data.")
    }

    @Test("a line chart draws a path per series, breaks it at gaps, and keeps a legend")
    func lineStructure() {
        let svg = weekly.render()
        #expect(svg.contains("aria-labelledby=\"weekly-title weekly-desc\""))
        for index in 0..<3 { #expect(svg.contains("class=\"chart-series chart-series-\(index)\"")) }
        // The edit rate misses week 15, so its path starts twice (M … M …) and has no L.
        let editGroup = svg.split(separator: "\n").first { $0.contains("chart-series chart-series-1\"") }
        let parts = editGroup?.split(separator: "\"", omittingEmptySubsequences: false) ?? []
        let d = parts.indices.first { parts[$0].hasSuffix(" d=") }.map { String(parts[$0 + 1]) } ?? ""
        #expect(d.split(separator: "M").count == 2)
        #expect(!d.contains("L"))
        for name in ["Approval rate", "Edit rate", "Rejection rate"] { #expect(svg.contains(">\(name)</text>")) }
        for week in ["2025-W14", "2025-W15", "2025-W16"] { #expect(svg.contains(">\(week)</text>")) }
        for tick in [">0.0%<", ">50.0%<", ">100.0%<"] { #expect(svg.contains(tick)) }
        expectNoInlineStyle(svg)
    }

    @Test("hostile series names and categories are escaped in a line chart")
    func lineEscaping() {
        let chart = LineChart(
            id: "h", title: Self.hostile, categoryAxisLabel: Self.hostile, valueAxisLabel: Self.hostile,
            categories: [Self.hostile], series: [.init(name: Self.hostile, values: [0.5])])
        let svg = chart.render()
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("'x'"))
        #expect(svg.contains(Self.escapedHostile))
        expectNoInlineStyle(svg)
    }

    @Test(
        "no categories, no series or only missing values draw a clear No data chart",
        arguments: [
            LineChart(
                id: "a", title: "Weekly", categoryAxisLabel: "Week", valueAxisLabel: "Rate", categories: [],
                series: [.init(name: "Approval", values: [])]),
            LineChart(id: "b", title: "Weekly", categoryAxisLabel: "Week", valueAxisLabel: "Rate", categories: ["W1", "W2"], series: []),
            LineChart(
                id: "c", title: "Weekly", categoryAxisLabel: "Week", valueAxisLabel: "Rate", categories: ["W1", "W2"],
                series: [.init(name: "Approval", values: [nil, nil])]),
        ])
    func lineEmpty(_ chart: LineChart) {
        let svg = chart.render()
        #expect(svg.contains(">No data</text>"))
        #expect(chart.textAlternative == "Weekly: no data.")
        #expect(!svg.contains("nan") && !svg.contains("inf"))
        expectNoInlineStyle(svg)
    }

    @Test("one week and all-zero values draw without dividing by zero")
    func lineSinglePoint() {
        let svg = LineChart(
            id: "one", title: "Weekly", categoryAxisLabel: "Week", valueAxisLabel: "Emails", categories: ["W1"],
            series: [.init(name: "Reviewed", values: [0])], format: .integer
        ).render()
        #expect(svg.contains("<circle cx=\"332.0\""), "centred in the plot, 64 to 600")
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test("the last week's date fits inside the drawing")
    func lastLabelFits() throws {
        let weeks = ["2026-11-05", "2026-11-12", "2026-11-19", "2026-11-26"]
        let svg = LineChart(
            id: "fit", title: "Weekly", categoryAxisLabel: "Week", valueAxisLabel: "Emails", categories: weeks,
            series: [.init(name: "Reviewed", values: [1, 2, 3, 4])], format: .integer, width: 640
        ).render()
        let label = try #require(svg.components(separatedBy: "\n").first { $0.hasPrefix("<text") && $0.contains(">2026-11-26<") })
        let x = try #require(Double(label.components(separatedBy: "x=\"")[1].prefix { $0 != "\"" }))
        // Centred on its point; 10 characters of 11 px text are at most 11 × 0.6 × 10 = 66 px wide.
        #expect(x + 33 <= 640, "\(label)")
    }

    @Test("the same figures always render the same bytes")
    func deterministic() {
        #expect(weekly.render() == weekly.render())
        #expect(reasons.render() == reasons.render())
    }
}
