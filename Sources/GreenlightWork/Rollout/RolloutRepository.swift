import Foundation
import SQLKit
import GreenlightCore
import GreenlightEmails

/// Reads and changes clients' rollout: phase, settings, kill switches, and the history of every change.
/// Every change is recorded with who, when, before/after and why, in the same transaction; phase
/// changes are conditional updates, so two managers (or a manager and the demotion guard) never both
/// move a client from the same phase.
public struct RolloutRepository: Sendable {
    let database: Database
    let clock: TimeSource

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    static let globalPauseKey = "paused_all"

    // MARK: Reading

    /// The client's rollout state; settings are created with defaults (and a fresh sample seed) on first use.
    public func state(clientID: Int) async throws -> RolloutState {
        guard let state = try await states(clientIDs: [clientID]).first else { throw NotFound("client \(clientID)") }
        return state
    }

    /// The states of these clients (all when `nil`), by client name.
    public func states(clientIDs: [Int]?) async throws -> [RolloutState] {
        try await ensureSettings(clientIDs: clientIDs)
        return try await database.read { sql in
            let global = try await sql.raw("SELECT value FROM app_settings WHERE key = \(bind: Self.globalPauseKey)").first() != nil
            let rows = try await sql.raw(
                """
                SELECT c.id, c.name, c.phase, s.*,
                (SELECT MAX(created_at) FROM rollout_changes h WHERE h.client_id = c.id AND h.action IN ('promote', 'demote', 'restore')) AS phase_since
                FROM clients c JOIN rollout_settings s ON s.client_id = c.id WHERE 1 = 1
                """ + SQLStatements.visible("c.id", to: clientIDs) + " ORDER BY c.name"
            ).all()
            return try rows.map { row in
                RolloutState(
                    clientID: try row.decode(column: "id", as: Int.self),
                    clientName: try row.decode(column: "name", as: String.self),
                    phase: RolloutPhase(rawValue: try row.decode(column: "phase", as: String.self)) ?? .shadow,
                    settings: try Self.settings(from: row),
                    pausedAt: try row.decode(column: "paused_at", as: Int?.self),
                    pausedBy: try row.decode(column: "paused_by", as: String?.self),
                    pausedGlobally: global,
                    phaseSince: try row.decode(column: "phase_since", as: Int?.self)
                )
            }
        }
    }

    /// Whether the global kill switch is on.
    public func isPausedGlobally() async throws -> Bool {
        try await database.read { sql in
            try await sql.raw("SELECT value FROM app_settings WHERE key = \(bind: Self.globalPauseKey)").first() != nil
        }
    }

    /// The client's rollout history, newest first (with the global switch's changes when `includeGlobal`).
    public func history(clientID: Int?, includeGlobal: Bool = true, limit: Int = 100) async throws -> [RolloutChange] {
        try await database.read { sql in
            var condition: SQLQueryString = clientID.map { "client_id = \(bind: $0)" } ?? "1 = 1"
            if clientID != nil, includeGlobal { condition = "(" + condition + " OR client_id IS NULL)" }
            return try await sql.raw("SELECT * FROM rollout_changes WHERE " + condition + SQLQueryString(" ORDER BY id DESC LIMIT \(bind: limit)"))
                .all().map(Self.change(from:))
        }
    }

    // MARK: Changing

    /// A phase move to make: from what the client is in now to the next or previous phase, and how it is recorded.
    public struct PhaseMove: Sendable, Equatable {
        public var from: RolloutPhase
        public var to: RolloutPhase
        public var action: RolloutChange.Action

        public init(from: RolloutPhase, to: RolloutPhase, action: RolloutChange.Action) {
            self.from = from
            self.to = to
            self.action = action
        }
    }

    /// Applies a phase move, new settings and a kill-switch position together, in one transaction,
    /// each recorded: a change made of several parts (an API call, a CLI call) happens whole or not at
    /// all. The phase move is conditional on the client still being in `move.from` (else a conflict).
    /// `afterStep` lets a test fail the change between two of its parts.
    public func apply(
        clientID: Int, move: PhaseMove? = nil, settings new: RolloutSettings? = nil, paused: Bool? = nil,
        by actor: Reviewer, reason: String?, afterStep: @Sendable (String) async throws -> Void = { _ in }
    ) async throws {
        let current = try await state(clientID: clientID)
        var settings = try new?.validated()
        settings?.sampleSeed = current.settings.sampleSeed
        let changes = settings.map { Self.difference(current.settings, $0) }
        let now = clock.nowMillis()
        let writes = (move, settings, changes, paused)
        try await database.write { sql in
            let (move, settings, changes, paused) = writes
            if let move {
                guard try await Self.writePhase(clientID: clientID, move: move, by: actor, reason: reason, at: now, sql: sql) else {
                    throw ReviewConflict.notAllowed("\(current.clientName) changed phase meanwhile: reload and look again")
                }
                try await afterStep("phase")
            }
            if let settings, let changes, !changes.0.isEmpty {
                try await Self.writeSettings(
                    settings, clientID: clientID, before: changes.0, after: changes.1, by: actor, reason: reason, at: now, sql: sql)
                try await afterStep("settings")
            }
            if let paused {
                try await Self.writePaused(paused, clientID: clientID, by: actor, reason: reason, at: now, sql: sql)
                try await afterStep("paused")
            }
        }
    }

    /// Replaces the client's settings (validated), recording the values that changed.
    @discardableResult
    public func update(settings new: RolloutSettings, clientID: Int, by actor: Reviewer, reason: String?) async throws -> RolloutState {
        try await apply(clientID: clientID, settings: new, by: actor, reason: reason)
        return try await state(clientID: clientID)
    }

    /// Moves the client from `from` to `to` — only if it is still in `from` — and records it as
    /// `action` (promote, demote or restore); false when it was no longer in `from`.
    @discardableResult
    public func changePhase(clientID: Int, from: RolloutPhase, to: RolloutPhase, action: RolloutChange.Action, by actor: Reviewer, reason: String?)
        async throws -> Bool
    {
        let now = clock.nowMillis()
        return try await database.write { sql in
            try await Self.writePhase(
                clientID: clientID, move: PhaseMove(from: from, to: to, action: action), by: actor, reason: reason, at: now, sql: sql)
        }
    }

    /// Turns a client's kill switch (or the global one, `clientID == nil`) on or off. Nothing already
    /// decided changes; drafts made while paused wait for a human.
    public func setPaused(_ paused: Bool, clientID: Int?, by actor: Reviewer, reason: String?) async throws {
        let now = clock.nowMillis()
        if let clientID { try await ensureSettings(clientIDs: [clientID]) }
        try await database.write { sql in
            try await Self.writePaused(paused, clientID: clientID, by: actor, reason: reason, at: now, sql: sql)
        }
    }

    /// Turns the kill switch of each of these clients on or off, in one transaction: "pause all" for
    /// a caller who sees only some clients (the global switch is for those who see every client).
    /// Returns the clients whose switch changed.
    @discardableResult
    public func setPaused(_ paused: Bool, clientIDs: [Int], by actor: Reviewer, reason: String?) async throws -> Int {
        guard !clientIDs.isEmpty else { return 0 }
        let now = clock.nowMillis()
        try await ensureSettings(clientIDs: clientIDs)
        return try await database.write { sql in
            var changed = 0
            for clientID in clientIDs where try await Self.writePaused(paused, clientID: clientID, by: actor, reason: reason, at: now, sql: sql) {
                changed += 1
            }
            return changed
        }
    }

    // MARK: Writes, inside the caller's transaction

    static func writePhase(clientID: Int, move: PhaseMove, by actor: Reviewer, reason: String?, at now: Int, sql: any SQLDatabase) async throws
        -> Bool
    {
        let moved =
            try await sql.raw(
                """
                UPDATE clients SET phase = \(bind: move.to.rawValue), updated_at = \(bind: now) WHERE id = \(bind: clientID) AND phase = \(bind: move.from.rawValue) RETURNING id
                """
            ).first() != nil
        guard moved else { return false }
        try await record(
            move.action, clientID: clientID, by: actor, before: ["phase": move.from.rawValue], after: ["phase": move.to.rawValue], reason: reason,
            at: now, sql: sql)
        return true
    }

    static func writeSettings(
        _ changed: RolloutSettings, clientID: Int, before: [String: String], after: [String: String], by actor: Reviewer,
        reason: String?, at now: Int, sql: any SQLDatabase
    ) async throws {
        try await sql.raw(
            """
            UPDATE rollout_settings SET partial_threshold = \(bind: changed.partialThreshold), full_threshold = \(bind: changed.fullThreshold),
            sample_rate_bp = \(bind: changed.sampleRateBP), min_reviewed = \(bind: changed.minReviewed), approval_target_bp = \(bind: changed.approvalTargetBP),
            edit_limit_bp = \(bind: changed.editLimitBP), review_seconds_limit = \(bind: changed.reviewSecondsLimit),
            reason_share_limit_bp = \(bind: changed.reasonShareLimitBP), shadow_window_days = \(bind: changed.shadowWindowDays),
            auto_rate_target_bp = \(bind: changed.autoRateTargetBP), partial_rejection_limit_bp = \(bind: changed.partialRejectionLimitBP),
            partial_window_days = \(bind: changed.partialWindowDays), demotion_window = \(bind: changed.demotionWindow),
            demotion_limit_bp = \(bind: changed.demotionLimitBP), reply_margin_bp = \(bind: changed.replyMarginBP),
            outcome_window = \(bind: changed.outcomeWindow), bounce_limit_bp = \(bind: changed.bounceLimitBP),
            unsubscribe_limit_bp = \(bind: changed.unsubscribeLimitBP), updated_at = \(bind: now) WHERE client_id = \(bind: clientID)
            """
        ).run()
        try await record(.settings, clientID: clientID, by: actor, before: before, after: after, reason: reason, at: now, sql: sql)
    }

    /// Returns whether the switch changed (it was not already so).
    @discardableResult
    static func writePaused(_ paused: Bool, clientID: Int?, by actor: Reviewer, reason: String?, at now: Int, sql: any SQLDatabase) async throws
        -> Bool
    {
        let changed: Bool
        if let clientID {
            changed =
                try await sql.raw(
                    paused
                        ? "UPDATE rollout_settings SET paused_at = \(bind: now), paused_by = \(bind: actor.name) WHERE client_id = \(bind: clientID) AND paused_at IS NULL RETURNING client_id"
                        : "UPDATE rollout_settings SET paused_at = NULL, paused_by = NULL WHERE client_id = \(bind: clientID) AND paused_at IS NOT NULL RETURNING client_id"
                ).first() != nil
        } else if paused {
            changed =
                try await sql.raw(
                    """
                    INSERT INTO app_settings (key, value, updated_at) VALUES (\(bind: globalPauseKey), \(bind: actor.name), \(bind: now))
                    ON CONFLICT (key) DO NOTHING RETURNING key
                    """
                ).first() != nil
        } else {
            changed = try await sql.raw("DELETE FROM app_settings WHERE key = \(bind: globalPauseKey) RETURNING key").first() != nil
        }
        guard changed else { return false }
        try await record(
            paused ? .pause : .resume, clientID: clientID, by: actor, before: ["paused": String(!paused)], after: ["paused": String(paused)],
            reason: reason, at: now, sql: sql)
        return true
    }

    // MARK: Helpers

    /// Creates default settings, each with its own random sample seed, for clients that have none.
    func ensureSettings(clientIDs: [Int]?) async throws {
        let now = clock.nowMillis()
        let missing = try await database.read { sql in
            try await sql.raw(
                "SELECT c.id FROM clients c LEFT JOIN rollout_settings s ON s.client_id = c.id WHERE s.client_id IS NULL"
                    + SQLStatements.visible("c.id", to: clientIDs)
            ).all().map { try $0.decode(column: "id", as: Int.self) }
        }
        guard !missing.isEmpty else { return }
        try await database.write { sql in
            for id in missing {
                try await sql.raw(
                    """
                    INSERT INTO rollout_settings (client_id, sample_seed, updated_at) VALUES (\(bind: id), \(bind: SecureToken.make(bytes: 16)), \(bind: now))
                    ON CONFLICT (client_id) DO NOTHING
                    """
                ).run()
            }
        }
    }

    static func record(
        _ action: RolloutChange.Action, clientID: Int?, by actor: Reviewer, before: [String: String], after: [String: String],
        reason: String?, at time: Int, sql: any SQLDatabase
    ) async throws {
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        try await sql.raw(
            """
            INSERT INTO rollout_changes (client_id, user_id, actor_name, action, before_json, after_json, reason, created_at)
            VALUES (\(bind: clientID), \(bind: actor.id), \(bind: actor.name), \(bind: action.rawValue), \(bind: try JSONText.encode(before)),
            \(bind: try JSONText.encode(after)), \(bind: reason?.isEmpty == false ? reason : nil), \(bind: time))
            """
        ).run()
        // The audit log says it too, in the same transaction, with what changed and why.
        var target = "every client"
        if let clientID {
            target =
                try await sql.raw("SELECT name FROM clients WHERE id = \(bind: clientID)").first()?.decode(column: "name", as: String.self)
                ?? "client \(clientID)"
        }
        let changes = after.keys.sorted().map { key in "\(key.replacingOccurrences(of: "_", with: " ")) \(before[key] ?? "–") → \(after[key] ?? "–")"
        }
        var details = changes.joined(separator: ", ")
        if let reason, !reason.isEmpty { details += "; reason: \(reason)" }
        if actor.id == nil { details += "; by \(actor.name)" }
        try await AuditLog.append(sql, userID: actor.id, action: "rollout \(action.rawValue)", target: target, details: details, at: time)
    }

    static func settings(from row: any SQLRow) throws -> RolloutSettings {
        var settings = RolloutSettings()
        settings.partialThreshold = try row.decode(column: "partial_threshold", as: Int.self)
        settings.fullThreshold = try row.decode(column: "full_threshold", as: Int.self)
        settings.sampleRateBP = try row.decode(column: "sample_rate_bp", as: Int.self)
        settings.sampleSeed = try row.decode(column: "sample_seed", as: String.self)
        settings.minReviewed = try row.decode(column: "min_reviewed", as: Int.self)
        settings.approvalTargetBP = try row.decode(column: "approval_target_bp", as: Int.self)
        settings.editLimitBP = try row.decode(column: "edit_limit_bp", as: Int.self)
        settings.reviewSecondsLimit = try row.decode(column: "review_seconds_limit", as: Int.self)
        settings.reasonShareLimitBP = try row.decode(column: "reason_share_limit_bp", as: Int.self)
        settings.shadowWindowDays = try row.decode(column: "shadow_window_days", as: Int.self)
        settings.autoRateTargetBP = try row.decode(column: "auto_rate_target_bp", as: Int.self)
        settings.partialRejectionLimitBP = try row.decode(column: "partial_rejection_limit_bp", as: Int.self)
        settings.partialWindowDays = try row.decode(column: "partial_window_days", as: Int.self)
        settings.demotionWindow = try row.decode(column: "demotion_window", as: Int.self)
        settings.demotionLimitBP = try row.decode(column: "demotion_limit_bp", as: Int.self)
        settings.replyMarginBP = try row.decode(column: "reply_margin_bp", as: Int.self)
        settings.outcomeWindow = try row.decode(column: "outcome_window", as: Int.self)
        settings.bounceLimitBP = try row.decode(column: "bounce_limit_bp", as: Int.self)
        settings.unsubscribeLimitBP = try row.decode(column: "unsubscribe_limit_bp", as: Int.self)
        return settings
    }

    static func change(from row: any SQLRow) throws -> RolloutChange {
        RolloutChange(
            id: try row.decode(column: "id", as: Int.self),
            clientID: try row.decode(column: "client_id", as: Int?.self),
            userID: try row.decode(column: "user_id", as: Int?.self),
            actorName: try row.decode(column: "actor_name", as: String.self),
            action: RolloutChange.Action(rawValue: try row.decode(column: "action", as: String.self)) ?? .settings,
            before: try JSONText.decode([String: String].self, from: row.decode(column: "before_json", as: String.self)),
            after: try JSONText.decode([String: String].self, from: row.decode(column: "after_json", as: String.self)),
            reason: try row.decode(column: "reason", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Int.self)
        )
    }

    /// The settings that differ, as before/after maps in the units people read (scores, fractions, days).
    static func difference(_ old: RolloutSettings, _ new: RolloutSettings) -> ([String: String], [String: String]) {
        let fields = RolloutSettingsFields.all
        var before: [String: String] = [:], after: [String: String] = [:]
        for field in fields where field.read(old) != field.read(new) {
            before[field.name] = field.text(old)
            after[field.name] = field.text(new)
        }
        return (before, after)
    }
}
