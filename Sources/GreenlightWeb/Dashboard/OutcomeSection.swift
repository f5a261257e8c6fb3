import Foundation
import GreenlightWork

/// The dashboard's "What converts" section as the template sees it: the overall rates, the
/// auto-versus-human difference in words, and one table per breakdown (each with its CSV link, the
/// score bands with a chart). A rate from fewer than ``OutcomeRate/minimumSent`` sent emails reads
/// "not enough evidence yet" with its counts, never as a percentage.
struct OutcomeSection {
    /// One rate as a table cell.
    struct Cell {
        /// The column's header, for the narrow-screen layout's labels.
        var header: String
        var text: String
    }

    struct Row {
        var label: String
        var sent: Int
        var cells: [Cell]
    }

    struct Table {
        /// The breakdown's id (`score-band`), used for ids and the CSV and chart links.
        var id: String
        var title: String
        var groupHeader: String
        var rows: [Row]
        var hasRows: Bool
        /// The chart's text alternative, when the breakdown has a chart.
        var chart: String?
    }

    var minimumSent: Int
    var overall: [Cell]
    var overallSent: Int
    /// "Auto-approved emails' positive reply rate is … points …", or why it cannot be said yet.
    var difference: String
    var tables: [Table]

    /// The column headers of every table after the group and "Sent", in the cells' order.
    static let rateHeaders = ["Reply rate", "Positive reply rate", "Bounce rate", "Unsubscribe rate"]

    init(_ figures: OutcomeFigures) {
        minimumSent = OutcomeRate.minimumSent
        overall = Self.cells(figures.overall)
        overallSent = figures.overall.sent
        difference = Self.differenceWords(figures.autoVersusHuman)
        tables = figures.breakdowns.map { breakdown in
            Table(
                id: breakdown.dimension.rawValue, title: breakdown.dimension.title, groupHeader: breakdown.dimension.groupHeader,
                rows: breakdown.groups.map { Row(label: $0.label, sent: $0.tally.sent, cells: Self.cells($0.tally)) },
                hasRows: !breakdown.groups.isEmpty,
                chart: breakdown.dimension == .scoreBand ? Self.chart(breakdown).textAlternative : nil)
        }
    }

    static func cells(_ tally: OutcomeTally) -> [Cell] {
        zip(rateHeaders, [tally.replyRate, tally.positiveReplyRate, tally.bounceRate, tally.unsubscribeRate]).map {
            Cell(header: $0, text: text($1))
        }
    }

    /// "12.0% (8.1%–17.2%), 6 of 50", or "not enough evidence yet (3 of 12 sent)".
    static func text(_ rate: OutcomeRate) -> String {
        guard rate.sent > 0 else { return "no email sent" }
        guard rate.enoughEvidence else { return "not enough evidence yet (\(rate.count) of \(rate.sent) sent)" }
        let percent = RolloutFigures.percent
        return "\(percent(rate.interval.rate)) (\(percent(rate.interval.low))–\(percent(rate.interval.high))), \(rate.count) of \(rate.sent)"
    }

    static func differenceWords(_ interval: NewcombeInterval) -> String {
        let auto = interval.first.trials
        let human = interval.second.trials
        guard let difference = interval.difference, auto >= OutcomeRate.minimumSent, human >= OutcomeRate.minimumSent else {
            return "Auto-approved against human-approved positive reply rate: not enough evidence yet (\(auto) auto-approved and \(human) "
                + "human-approved emails sent; \(OutcomeRate.minimumSent) of each are needed)."
        }
        func points(_ value: Double) -> String { String(format: "%+.1f", value * 100) }
        let verdict =
            interval.low > 0
            ? "auto-approved emails get more positive replies"
            : interval.high < 0 ? "auto-approved emails get fewer positive replies" : "no clear difference yet"
        return "Auto-approved minus human-approved positive reply rate: \(points(difference)) points "
            + "(95% interval \(points(interval.low)) to \(points(interval.high)) points, \(auto) and \(human) emails sent): \(verdict)."
    }

    /// Reply and positive reply rates by score band, for the bands with enough emails sent (the
    /// others are in the table as "not enough evidence yet", not drawn as if they had no replies).
    static func chart(_ breakdown: OutcomeBreakdown) -> LineChart {
        let groups = breakdown.groups.filter { $0.tally.replyRate.enoughEvidence }
        return LineChart(
            id: "outcomes-\(breakdown.dimension.rawValue)",
            title: "Reply rates by quality score (bands with at least \(OutcomeRate.minimumSent) emails sent)",
            categoryAxisLabel: breakdown.dimension.groupHeader, valueAxisLabel: "Share of emails sent",
            categories: groups.map(\.label),
            series: [
                .init(name: "Reply", values: groups.map(\.tally.replyRate.interval.rate)),
                .init(name: "Positive reply", values: groups.map(\.tally.positiveReplyRate.interval.rate)),
            ])
    }
}
