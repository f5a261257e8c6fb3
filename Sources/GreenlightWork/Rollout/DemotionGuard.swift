import Foundation
import SQLKit
import GreenlightCore
import GreenlightEmails

/// Drops a client one phase at once when humans start rejecting what it produces: in
/// partial or full, after each human decision, if the rejections among the client's last N
/// human-reviewed drafts of the current phase exceed the limit (more than limit × N), the client
/// goes back one phase, the change is recorded with the figures, and `notify` is told (Slack).
/// The phase change is conditional, so concurrent decisions demote once.
///
/// The same guard watches what prospects answer (``checkOutcomes(clientID:)``, after a bounce or an
/// unsubscribe is recorded): if, among the client's last N auto-approved emails sent in the current
/// phase, the bounces or the unsubscribes exceed their limit, the client drops one phase the same
/// way, with the same history entry and Slack message.
public struct DemotionGuard: Sendable {
    /// What the guard did.
    public struct Demotion: Sendable, Equatable {
        public var clientID: Int
        public var clientName: String
        public var from: RolloutPhase
        public var to: RolloutPhase
        public var reason: String
    }

    let database: Database
    let clock: TimeSource
    /// Called after a demotion is recorded (a Slack message); its failures never undo the demotion.
    let notify: @Sendable (Demotion) async -> Void

    public init(database: Database, clock: TimeSource = .system, notify: @escaping @Sendable (Demotion) async -> Void = { _ in }) {
        self.database = database
        self.clock = clock
        self.notify = notify
    }

    /// Checks the client after a human decision; returns the demotion when one happened.
    /// - Parameter phase: the client's phase when the decision already read it (else it is read here).
    @discardableResult
    public func check(clientID: Int, phase known: String? = nil) async throws -> Demotion? {
        // Most decisions are for clients in shadow: nothing more to read.
        var phase = known
        if phase == nil {
            phase = try await database.read { sql in
                try await sql.raw("SELECT phase FROM clients WHERE id = \(bind: clientID)").first()?.decode(column: "phase", as: String.self)
            }
        }
        guard let phase, phase != RolloutPhase.shadow.rawValue else { return nil }
        let repository = RolloutRepository(database: database, clock: clock)
        let state = try await repository.state(clientID: clientID)
        guard let lower = state.phase.lower else { return nil }
        let window = state.settings.demotionWindow
        let since = state.phaseSince ?? 0
        let (reviewed, rejected) = try await database.read { sql in
            let rows = try await sql.raw(
                """
                SELECT status FROM generated_emails
                WHERE client_id = \(bind: clientID) AND reviewed_at >= \(bind: since) AND reviewer_name IS NOT NULL
                ORDER BY reviewed_at DESC LIMIT \(bind: window)
                """
            ).all()
            let statuses = try rows.map { try $0.decode(column: "status", as: String.self) }
            return (statuses.count, statuses.filter { $0 == ReviewStatus.rejected.rawValue }.count)
        }
        // Over the limit when the rejections alone exceed limit × window: a burst demotes at once,
        // before the window has filled.
        guard rejected * 10_000 > state.settings.demotionLimitBP * window else { return nil }
        let limitCount = state.settings.demotionLimitBP * window / 10_000
        let reason =
            "\(rejected) of the last \(reviewed) human-reviewed drafts in \(state.phase.rawValue) were rejected "
            + "(the limit is \(limitCount) of \(window))"
        let moved = try await repository.changePhase(
            clientID: clientID, from: state.phase, to: lower, action: .demote, by: RolloutGate.actor, reason: reason)
        guard moved else { return nil }
        let demotion = Demotion(clientID: clientID, clientName: state.clientName, from: state.phase, to: lower, reason: reason)
        await notify(demotion)
        return demotion
    }

    /// Checks the client after a bounce or an unsubscribe of one of its emails is recorded; returns
    /// the demotion when one happened.
    @discardableResult
    public func checkOutcomes(clientID: Int) async throws -> Demotion? {
        let repository = RolloutRepository(database: database, clock: clock)
        let state = try await repository.state(clientID: clientID)
        guard state.phase != .shadow, let lower = state.phase.lower else { return nil }
        let window = state.settings.outcomeWindow
        let since = state.phaseSince ?? 0
        let (sent, bounced, unsubscribed) = try await database.read { sql in
            let row = try await sql.raw(
                """
                SELECT COUNT(*) AS sent, COUNT(o.bounced_at) AS bounced, COUNT(o.unsubscribed_at) AS unsubscribed
                FROM (SELECT id FROM generated_emails
                      WHERE client_id = \(bind: clientID) AND sent_at >= \(bind: since) AND reviewer_id IS NULL AND gate_outcome = 'auto'
                      ORDER BY sent_at DESC, id DESC LIMIT \(bind: window)) e
                LEFT JOIN email_outcomes o ON o.email_id = e.id
                """
            ).first()
            return (
                try row?.decode(column: "sent", as: Int.self) ?? 0, try row?.decode(column: "bounced", as: Int.self) ?? 0,
                try row?.decode(column: "unsubscribed", as: Int.self) ?? 0
            )
        }
        // As with rejections: over the limit when the count alone exceeds limit × window.
        let over = [
            ("bounced", bounced, state.settings.bounceLimitBP), ("unsubscribed", unsubscribed, state.settings.unsubscribeLimitBP),
        ].filter { $0.1 * 10_000 > $0.2 * window }
        guard !over.isEmpty else { return nil }
        let reason =
            over.map { what, count, limit in
                "\(count) of the last \(sent) auto-approved emails sent in \(state.phase.rawValue) \(what) (the limit is \(limit * window / 10_000) of \(window))"
            }.joined(separator: "; ")
        let moved = try await repository.changePhase(
            clientID: clientID, from: state.phase, to: lower, action: .demote, by: RolloutGate.actor, reason: reason)
        guard moved else { return nil }
        let demotion = Demotion(clientID: clientID, clientName: state.clientName, from: state.phase, to: lower, reason: reason)
        await notify(demotion)
        return demotion
    }
}
