import Foundation
import SQLKit
import GreenlightCore

/// Stores what sequencers say happened to sent emails — from a webhook, a pull or an uploaded lead
/// export, all through ``record(_:clientID:source:)`` — each event once, in any order.
///
/// In the transaction that stores an event: it is attached to the email Greenlight sent to that
/// campaign and address (``attached(clientID:event:)``), or kept aside unattached when there is none
/// (never matched by guess: an email later recorded as sent to that campaign and address takes its
/// events then, ``attachWaiting(_:clientID:campaignID:)``); the email's outcome moves; and a bounce,
/// an unsubscribe or a "wrong person" puts the address on the client's suppression list, so the next
/// export's claim already leaves it out.
public struct OutcomeRecorder: Sendable {
    /// What recording a set of events did.
    public struct Tally: Sendable, Equatable {
        /// Events stored for the first time.
        public var stored = 0
        /// Events already stored (a delivery repeated, or a pull finding what a webhook brought).
        public var duplicates = 0
        /// Stored events of a lead Greenlight did not send (kept aside).
        public var unattached = 0
        /// Stored events of a type Greenlight does not know (no effect).
        public var ignored = 0
        /// Addresses newly put on the suppression list.
        public var suppressed = 0
        /// Bounces and unsubscribes newly attached to sent emails: what the outcome guard
        /// (``DemotionGuard/checkOutcomes(clientID:)``) is asked to look at.
        public var bouncesOrUnsubscribes = 0

        public init() {}

        package static func + (a: Tally, b: Tally) -> Tally {
            var sum = a
            sum.stored += b.stored
            sum.duplicates += b.duplicates
            sum.unattached += b.unattached
            sum.ignored += b.ignored
            sum.suppressed += b.suppressed
            sum.bouncesOrUnsubscribes += b.bouncesOrUnsubscribes
            return sum
        }
    }

    let database: Database
    let clock: TimeSource

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    /// Records `events` of the client in one transaction.
    public func record(_ events: [OutcomeEvent], clientID: Int, source: OutcomeEvent.Source) async throws -> Tally {
        guard !events.isEmpty else { return Tally() }
        let now = clock.nowMillis()
        return try await database.write { sql in
            var tally = Tally()
            for event in events {
                tally = tally + (try await Self.record(sql, event: event, clientID: clientID, source: source, now: now))
            }
            return tally
        }
    }

    /// Records, inside the caller's transaction, the events of a pull that say something Greenlight
    /// does not know yet for their lead and campaign — a reply, a bounce or an unsubscribe it has no
    /// event of, an interest status other than the latest it has — and leaves out the rest: what a
    /// webhook already brought is not counted twice under the pull's own timestamps.
    package static func recordMissing(_ sql: any SQLDatabase, events: [OutcomeEvent], clientID: Int, now: Int) async throws -> Tally {
        var tally = Tally()
        for event in events {
            let known: Bool
            switch event.kind {
            case .interest:
                let latest = try await sql.raw(
                    """
                    SELECT label FROM outcome_events WHERE client_id = \(bind: clientID) AND vendor = \(bind: event.vendor) AND campaign_id = \(bind: event.campaignID)
                    AND lead_email = \(bind: event.leadEmail) AND kind = 'interest' ORDER BY occurred_at DESC, label DESC LIMIT 1
                    """
                ).first()?.decode(column: "label", as: String.self)
                known = latest == event.label
            default:
                known =
                    try await sql.raw(
                        """
                        SELECT id FROM outcome_events WHERE client_id = \(bind: clientID) AND vendor = \(bind: event.vendor) AND campaign_id = \(bind: event.campaignID)
                        AND lead_email = \(bind: event.leadEmail) AND kind = \(bind: event.kind.rawValue) AND label = \(bind: event.label) LIMIT 1
                        """
                    ).first() != nil
            }
            if known {
                tally.duplicates += 1
            } else {
                tally = tally + (try await record(sql, event: event, clientID: clientID, source: .pull, now: now))
            }
        }
        return tally
    }

    /// Stores one event inside the caller's transaction, and does what it implies. The email it
    /// belongs to is found in the statement that stores it (``attached(clientID:event:)``), so a
    /// delivery is three statements at most: store, suppress, move the outcome.
    static func record(_ sql: any SQLDatabase, event: OutcomeEvent, clientID: Int, source: OutcomeEvent.Source, now: Int) async throws -> Tally {
        var tally = Tally()
        guard
            let row = try await sql.raw(
                """
                INSERT INTO outcome_events (client_id, vendor, source, event_type, kind, label, campaign_id, lead_email, step, occurred_at, received_at, email_id)
                VALUES (\(bind: clientID), \(bind: event.vendor), \(bind: source.rawValue), \(bind: String(event.eventType.prefix(200))), \(bind: event.kind.rawValue),
                \(bind: String(event.label.prefix(200))), \(bind: event.campaignID), \(bind: event.leadEmail), \(bind: event.step), \(bind: event.occurredAt), \(bind: now),
                \(attached(clientID: clientID, event: event)))
                ON CONFLICT (client_id, vendor, kind, label, campaign_id, lead_email, step, occurred_at) DO NOTHING RETURNING id, email_id
                """
            ).first()
        else {
            tally.duplicates = 1
            return tally
        }
        tally.stored = 1
        if event.kind == .other {
            tally.ignored = 1
            return tally
        }
        if let reason = event.suppression, !event.leadEmail.isEmpty,
            try await SuppressionList.add(
                sql, clientID: clientID, kind: .email, address: event.leadEmail, reason: reason, source: source.rawValue, at: event.occurredAt)
        {
            tally.suppressed = 1
        }
        guard let emailID = try row.decode(column: "email_id", as: Int?.self) else {
            tally.unattached = 1
            return tally
        }
        try await EmailOutcome.apply(sql, event: event, emailID: emailID, clientID: clientID, now: now)
        if event.kind == .bounce || event.kind == .unsubscribe { tally.bouncesOrUnsubscribes = 1 }
        return tally
    }

    /// The email Greenlight sent to the event's campaign and address, as a subquery (`NULL` when
    /// there can be none): for an uploaded lead export (vendor `csv`, no campaign), the email
    /// Greenlight wrote to that address in one of the client's CSV files. Events of a type Greenlight
    /// does not know are attached to nothing.
    static func attached(clientID: Int, event: OutcomeEvent) -> SQLQueryString {
        guard !event.leadEmail.isEmpty, event.kind != .other else { return "NULL" }
        if event.vendor == "csv", event.campaignID.isEmpty {
            return """
                (SELECT e.id FROM contacts c JOIN generated_emails e ON e.contact_id = c.id WHERE c.client_id = \(bind: clientID)
                AND c.email_normalized = \(bind: event.leadEmail) AND e.export_campaign_id IS NULL AND e.sent_at IS NOT NULL ORDER BY e.id LIMIT 1)
                """
        }
        guard !event.campaignID.isEmpty else { return "NULL" }
        return """
            (SELECT id FROM generated_emails WHERE client_id = \(bind: clientID) AND export_campaign_id = \(bind: event.campaignID)
            AND LOWER(contact_email) = \(bind: event.leadEmail) AND sent_at IS NOT NULL ORDER BY id LIMIT 1)
            """
    }

    /// Attaches the events kept aside for a campaign to the emails now recorded as sent to it (an
    /// event can arrive before the export has written down that its lead was taken); called in the
    /// transaction that records them sent. Returns how many it attached.
    @discardableResult
    public static func attachWaiting(_ sql: any SQLDatabase, clientID: Int, campaignID: String, now: Int) async throws -> Int {
        let waiting = try await sql.raw(
            """
            SELECT o.id, o.vendor, o.event_type, o.kind, o.label, o.campaign_id, o.lead_email, o.step, o.occurred_at, e.id AS email_id
            FROM outcome_events o JOIN generated_emails e ON e.client_id = o.client_id AND e.export_campaign_id = o.campaign_id
            AND LOWER(e.contact_email) = o.lead_email AND e.sent_at IS NOT NULL
            WHERE o.client_id = \(bind: clientID) AND o.campaign_id = \(bind: campaignID) AND o.email_id IS NULL AND o.kind <> 'other' ORDER BY o.id
            """
        ).all()
        for row in waiting {
            let emailID = try row.decode(column: "email_id", as: Int.self)
            let event = OutcomeEvent(
                vendor: try row.decode(column: "vendor", as: String.self), eventType: try row.decode(column: "event_type", as: String.self),
                kind: OutcomeKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other,
                label: try row.decode(column: "label", as: String.self),
                campaignID: try row.decode(column: "campaign_id", as: String.self), leadEmail: try row.decode(column: "lead_email", as: String.self),
                step: try row.decode(column: "step", as: Int.self), occurredAt: try row.decode(column: "occurred_at", as: Int.self))
            try await sql.raw("UPDATE outcome_events SET email_id = \(bind: emailID) WHERE id = \(bind: try row.decode(column: "id", as: Int.self))")
                .run()
            try await EmailOutcome.apply(sql, event: event, emailID: emailID, clientID: clientID, now: now)
        }
        return waiting.count
    }
}
