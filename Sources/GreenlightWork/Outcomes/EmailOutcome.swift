import Foundation
import SQLKit
import GreenlightCore

/// A sent email's outcome as its events make it: when it was first replied to, bounced,
/// unsubscribed (opened and clicked too, shown as unreliable), and its lead's latest interest
/// status. Each event moves it the same way whatever order the events arrive in: the earliest
/// instant of each kind, and the interest status with the latest timestamp (a later "not
/// interested" after "interested" wins); the events themselves stay as its history.
public struct EmailOutcome: Sendable, Equatable {
    public var repliedAt: Int?
    public var autoRepliedAt: Int?
    public var bouncedAt: Int?
    public var unsubscribedAt: Int?
    public var openedAt: Int?
    public var clickedAt: Int?
    public var interest: InterestLabel?
    public var interestAt: Int?

    public init() {}

    /// A reply whose lead's latest status is interested, a meeting, or won.
    public var positiveReply: Bool { interest?.isPositive ?? false }

    /// The column an event of this kind sets to its earliest instant.
    static func column(for kind: OutcomeKind) -> String? {
        switch kind {
        case .reply: "replied_at"
        case .autoReply: "auto_replied_at"
        case .bounce: "bounced_at"
        case .unsubscribe: "unsubscribed_at"
        case .opened: "opened_at"
        case .clicked: "clicked_at"
        case .sent, .interest, .label, .other: nil
        }
    }

    /// Moves the email's stored outcome by one event (inside the caller's transaction), in one
    /// statement: the row is made if it is not there, and a column moves only when the event is
    /// earlier (an instant) or later (the interest status) than what it holds.
    static func apply(_ sql: any SQLDatabase, event: OutcomeEvent, emailID: Int, clientID: Int, now: Int) async throws {
        guard event.kind.shapesOutcome, event.kind != .interest || event.interest != nil else { return }
        if let column = column(for: event.kind) {
            // `column` is one of the fixed names above.
            let earlier: SQLQueryString = """
                (email_outcomes.\(unsafeRaw: column) IS NULL OR email_outcomes.\(unsafeRaw: column) > excluded.\(unsafeRaw: column))
                """
            try await sql.raw(
                """
                INSERT INTO email_outcomes (email_id, client_id, updated_at, \(unsafeRaw: column))
                VALUES (\(bind: emailID), \(bind: clientID), \(bind: now), \(bind: event.occurredAt))
                ON CONFLICT (email_id) DO UPDATE SET
                \(unsafeRaw: column) = CASE WHEN \(earlier) THEN excluded.\(unsafeRaw: column) ELSE email_outcomes.\(unsafeRaw: column) END,
                updated_at = CASE WHEN \(earlier) THEN excluded.updated_at ELSE email_outcomes.updated_at END
                """
            ).run()
        } else if let interest = event.interest {
            // The latest status wins; two at the same instant are ordered by name, so any order of
            // arrival ends the same.
            let later: SQLQueryString = """
                (email_outcomes.interest_at IS NULL OR email_outcomes.interest_at < excluded.interest_at
                OR (email_outcomes.interest_at = excluded.interest_at AND email_outcomes.interest < excluded.interest))
                """
            try await sql.raw(
                """
                INSERT INTO email_outcomes (email_id, client_id, updated_at, interest, interest_at)
                VALUES (\(bind: emailID), \(bind: clientID), \(bind: now), \(bind: interest.rawValue), \(bind: event.occurredAt))
                ON CONFLICT (email_id) DO UPDATE SET
                interest = CASE WHEN \(later) THEN excluded.interest ELSE email_outcomes.interest END,
                interest_at = CASE WHEN \(later) THEN excluded.interest_at ELSE email_outcomes.interest_at END,
                updated_at = CASE WHEN \(later) THEN excluded.updated_at ELSE email_outcomes.updated_at END
                """
            ).run()
        }
    }

    /// The outcome the events make, worked out from the events alone (what the stored outcome must
    /// equal; the recount tests compare them).
    public static func from(_ events: [OutcomeEvent]) -> EmailOutcome {
        var outcome = EmailOutcome()
        func earliest(_ current: Int?, _ new: Int) -> Int { current.map { min($0, new) } ?? new }
        for event in events {
            switch event.kind {
            case .reply: outcome.repliedAt = earliest(outcome.repliedAt, event.occurredAt)
            case .autoReply: outcome.autoRepliedAt = earliest(outcome.autoRepliedAt, event.occurredAt)
            case .bounce: outcome.bouncedAt = earliest(outcome.bouncedAt, event.occurredAt)
            case .unsubscribe: outcome.unsubscribedAt = earliest(outcome.unsubscribedAt, event.occurredAt)
            case .opened: outcome.openedAt = earliest(outcome.openedAt, event.occurredAt)
            case .clicked: outcome.clickedAt = earliest(outcome.clickedAt, event.occurredAt)
            case .interest:
                guard let label = event.interest else { continue }
                if let at = outcome.interestAt, let current = outcome.interest,
                    (at, current.rawValue) >= (event.occurredAt, label.rawValue)
                {
                    continue
                }
                outcome.interest = label
                outcome.interestAt = event.occurredAt
            case .sent, .label, .other: continue
            }
        }
        return outcome
    }

    /// The stored outcome of each of the client's emails that has one, by email id.
    public static func stored(_ database: Database, clientID: Int) async throws -> [Int: EmailOutcome] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT email_id, replied_at, auto_replied_at, bounced_at, unsubscribed_at, opened_at, clicked_at, interest, interest_at
                FROM email_outcomes WHERE client_id = \(bind: clientID)
                """
            ).all().reduce(into: [Int: EmailOutcome]()) { outcomes, row in
                var outcome = EmailOutcome()
                outcome.repliedAt = try row.decode(column: "replied_at", as: Int?.self)
                outcome.autoRepliedAt = try row.decode(column: "auto_replied_at", as: Int?.self)
                outcome.bouncedAt = try row.decode(column: "bounced_at", as: Int?.self)
                outcome.unsubscribedAt = try row.decode(column: "unsubscribed_at", as: Int?.self)
                outcome.openedAt = try row.decode(column: "opened_at", as: Int?.self)
                outcome.clickedAt = try row.decode(column: "clicked_at", as: Int?.self)
                outcome.interest = try row.decode(column: "interest", as: String?.self).flatMap(InterestLabel.init(rawValue:))
                outcome.interestAt = try row.decode(column: "interest_at", as: Int?.self)
                outcomes[try row.decode(column: "email_id", as: Int.self)] = outcome
            }
        }
    }
}
