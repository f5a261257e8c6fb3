import Foundation
import Hummingbird
import NIOCore
import GreenlightCore
import GreenlightWork

/// The "What converts" downloads of the dashboard: each breakdown as CSV
/// (`/dashboard/csv?table=outcomes&by=score-band`) and the score-band chart as SVG
/// (`/dashboard/chart?chart=outcomes&by=score-band`), for the same range, client and viewer as the page.
enum OutcomeDownloads {
    static let header = [
        "group", "sent", "enough_evidence", "replied", "reply_rate", "reply_low", "reply_high", "positive_replies", "positive_reply_rate",
        "positive_reply_low", "positive_reply_high", "bounced", "bounce_rate", "bounce_low", "bounce_high", "unsubscribed", "unsubscribe_rate",
        "unsubscribe_low", "unsubscribe_high",
    ]

    /// The dimension the query's `by` names.
    static func dimension(_ request: Request) throws -> OutcomeDimension {
        let text = request.uri.queryParameters.get("by") ?? ""
        guard let dimension = OutcomeDimension(rawValue: text) else {
            throw InputError(field: "by", "by must be one of \(OutcomeDimension.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return dimension
    }

    /// One breakdown as a CSV file: counts, and each rate with its interval (rounded to 4 decimals).
    static func csv(_ breakdown: OutcomeBreakdown) -> CSVDownload {
        func number(_ value: Double?) -> CSVDownload.Cell {
            value.map { .number(($0 * 10_000).rounded() / 10_000) } ?? .text("")
        }
        func rate(_ rate: OutcomeRate) -> [CSVDownload.Cell] {
            [.integer(rate.count), number(rate.interval.rate), number(rate.interval.low), number(rate.interval.high)]
        }
        return CSVDownload(
            header: header,
            rows: breakdown.groups.map { group in
                let tally = group.tally
                return [.text(group.label), .integer(tally.sent), .text(tally.replyRate.enoughEvidence ? "yes" : "no")]
                    + rate(tally.replyRate) + rate(tally.positiveReplyRate) + rate(tally.bounceRate) + rate(tally.unsubscribeRate)
            })
    }

    /// The chart of a breakdown that has one (the score bands).
    static func chart(_ breakdown: OutcomeBreakdown) throws -> LineChart {
        guard breakdown.dimension == .scoreBand else { throw InputError(field: "by", "only the score-band breakdown has a chart") }
        return OutcomeSection.chart(breakdown)
    }
}
