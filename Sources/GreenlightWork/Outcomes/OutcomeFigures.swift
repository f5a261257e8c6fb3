import Foundation
import SQLKit
import GreenlightCore
import GreenlightEmails

/// "What converts": for the emails sent in a range, of a set of clients (and, for an SDR, those
/// they approved themselves), the reply, positive reply, bounce and unsubscribe rates overall and
/// broken down by every ``OutcomeDimension``, with the difference in positive reply rate between
/// auto-approved and human-approved emails (``NewcombeInterval``).
///
/// Counted live from `generated_emails` and `email_outcomes` (a sent email without an outcome row
/// counts as sent, not replied), read by key in pages of ``pageSize`` so a long range never holds
/// more rows than that. A sent email belongs to the range when the day it was sent, in its
/// client's time zone, is in it, as the dashboard's other figures do with their days; its week is
/// counted from the range's first day (the dashboard's "week by week").
public struct OutcomeFigures: Sendable, Equatable {
    /// Rows read per query.
    static let pageSize = 2_000

    /// Every sent email of the range.
    public var overall = OutcomeTally()
    /// One breakdown per dimension, in ``OutcomeDimension/allCases`` order.
    public var breakdowns: [OutcomeBreakdown] = []
    /// Positive reply rate, auto-approved minus human-approved (sampled emails count as human).
    public var autoVersusHuman: NewcombeInterval

    /// The breakdown by `dimension`.
    public func breakdown(_ dimension: OutcomeDimension) -> OutcomeBreakdown {
        breakdowns.first { $0.dimension == dimension } ?? OutcomeBreakdown(dimension, emails: [])
    }

    /// The figures of `emails` sent in `range` (whose weeks start on its first day).
    public init(emails: [SentEmail], range: DashboardRange) {
        for email in emails { overall.add(email) }
        let weeks = Self.weekStarts(range)
        breakdowns = OutcomeDimension.allCases.map { OutcomeBreakdown($0, emails: emails, weeks: weeks) }
        var auto = OutcomeTally()
        var human = OutcomeTally()
        for email in emails {
            if email.path == .auto { auto.add(email) } else { human.add(email) }
        }
        autoVersusHuman = NewcombeInterval(
            firstSuccesses: auto.positive, firstTrials: auto.sent, secondSuccesses: human.positive, secondTrials: human.sent)
    }

    /// Reads the figures. `clientIDs` limits them to those clients (nil: all); `reviewerID` to the
    /// emails that reviewer approved (an SDR's own figures).
    public static func read(_ database: Database, range: DashboardRange, clientIDs: [Int]?, reviewerID: Int? = nil) async throws -> OutcomeFigures {
        OutcomeFigures(emails: try await sentEmails(database, range: range, clientIDs: clientIDs, reviewerID: reviewerID), range: range)
    }

    /// The sent emails of the range, as the breakdowns see them.
    public static func sentEmails(_ database: Database, range: DashboardRange, clientIDs: [Int]?, reviewerID: Int? = nil) async throws
        -> [SentEmail]
    {
        let day = 86_400_000
        // Every time zone is within a day of UTC: read a day either side, keep each client's own days.
        let earliest = range.startMillis - day
        let latest = range.endMillis + day
        let first = LocalDay.dayNumber(of: range.from) ?? 0
        var emails: [SentEmail] = []
        var after = 0
        while true {
            let cursor = after
            let rows = try await database.read { sql in
                try await sql.raw(
                    """
                    SELECT e.id, e.client_id, c.timezone, e.quality_score, e.template_id, t.name AS template_name, e.prompt_version, e.variables_json,
                    CASE WHEN e.final_body IS NULL THEN 0 ELSE 1 END AS edited, e.gate_outcome, e.reviewer_id, e.reviewer_name, e.sent_at,
                    o.replied_at, o.bounced_at, o.unsubscribed_at, o.interest
                    FROM generated_emails e JOIN clients c ON c.id = e.client_id JOIN templates t ON t.id = e.template_id
                    LEFT JOIN email_outcomes o ON o.email_id = e.id
                    WHERE e.sent_at IS NOT NULL AND e.sent_at >= \(bind: earliest) AND e.sent_at < \(bind: latest) AND e.id > \(bind: cursor)
                    """ + SQLStatements.visible("e.client_id", to: clientIDs)
                        + (reviewerID.map { SQLQueryString(" AND e.reviewer_id = \(bind: $0)") } ?? "")
                        + SQLQueryString(" ORDER BY e.id LIMIT \(bind: pageSize)")
                ).all()
            }
            for row in rows {
                after = try row.decode(column: "id", as: Int.self)
                let sentDay = LocalDay.of(
                    millis: try row.decode(column: "sent_at", as: Int.self), timeZone: try row.decode(column: "timezone", as: String.self))
                guard sentDay >= range.from, sentDay <= range.to, let number = LocalDay.dayNumber(of: sentDay) else { continue }
                let variables = (try? JSONText.decode([DraftVariable].self, from: try row.decode(column: "variables_json", as: String.self))) ?? []
                let reviewerID = try row.decode(column: "reviewer_id", as: Int?.self)
                emails.append(
                    SentEmail(
                        id: after, clientID: try row.decode(column: "client_id", as: Int.self),
                        score: try row.decode(column: "quality_score", as: Int.self),
                        templateID: try row.decode(column: "template_id", as: Int.self),
                        templateName: try row.decode(column: "template_name", as: String.self),
                        promptVersion: try row.decode(column: "prompt_version", as: String.self), fill: FillSource.of(variables),
                        edited: try row.decode(column: "edited", as: Int.self) == 1,
                        path: ApprovalPath.of(gateOutcome: try row.decode(column: "gate_outcome", as: String?.self), reviewerID: reviewerID),
                        reviewerID: reviewerID, reviewerName: try row.decode(column: "reviewer_name", as: String?.self),
                        week: LocalDay.text(ofDayNumber: first + (number - first) / 7 * 7),
                        replied: try row.decode(column: "replied_at", as: Int?.self) != nil,
                        positive: (try row.decode(column: "interest", as: String?.self)).flatMap(InterestLabel.init(rawValue:))?.isPositive ?? false,
                        bounced: try row.decode(column: "bounced_at", as: Int?.self) != nil,
                        unsubscribed: try row.decode(column: "unsubscribed_at", as: Int?.self) != nil))
            }
            if rows.count < pageSize { break }
        }
        return emails
    }

    /// The first day of each week of the range.
    static func weekStarts(_ range: DashboardRange) -> [String] {
        guard let first = LocalDay.dayNumber(of: range.from), let last = LocalDay.dayNumber(of: range.to) else { return [] }
        return stride(from: first, through: last, by: 7).map { LocalDay.text(ofDayNumber: $0) }
    }
}
