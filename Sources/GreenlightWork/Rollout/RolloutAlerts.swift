import Foundation
import SQLKit
import GreenlightCore

/// What managers must see on every page until they act: clients the demotion guard dropped back a
/// phase (until someone moves the phase again), clients paused by their kill switch, and the global
/// pause. One query each, only for users who manage rollout.
public struct RolloutAlerts: Sendable {
    /// One banner.
    public struct Alert: Sendable, Equatable {
        public var text: String
        public var link: String
        public var linkText: String
    }

    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The alerts for the clients a manager may see (`nil`: all).
    public func load(clientIDs: [Int]?) async throws -> [Alert] {
        try await database.read { sql in
            var alerts: [Alert] = []
            if let row = try await sql.raw("SELECT value FROM app_settings WHERE key = \(bind: RolloutRepository.globalPauseKey)").first() {
                alerts.append(
                    Alert(
                        text:
                            "Auto-approval and export are paused for every client (by \(try row.decode(column: "value", as: String.self))). New drafts wait for a human.",
                        link: "/rollout", linkText: "Rollout"))
            }
            let demoted = try await sql.raw(
                """
                SELECT c.id, c.name, h.before_json, h.after_json, h.reason, h.created_at FROM rollout_changes h JOIN clients c ON c.id = h.client_id
                WHERE h.id IN (SELECT MAX(id) FROM rollout_changes WHERE client_id IS NOT NULL AND action IN ('promote', 'demote', 'restore') GROUP BY client_id)
                AND h.action = 'demote' AND h.user_id IS NULL
                """ + SQLStatements.visible("c.id", to: clientIDs) + " ORDER BY c.name"
            ).all()
            for row in demoted {
                let before = try JSONText.decode([String: String].self, from: row.decode(column: "before_json", as: String.self))
                let after = try JSONText.decode([String: String].self, from: row.decode(column: "after_json", as: String.self))
                let id = try row.decode(column: "id", as: Int.self)
                alerts.append(
                    Alert(
                        text:
                            "\(try row.decode(column: "name", as: String.self)) dropped back from \(before["phase"] ?? "?") to \(after["phase"] ?? "?") "
                            + "on \(DateText.format(try row.decode(column: "created_at", as: Int.self))): \(try row.decode(column: "reason", as: String?.self) ?? "too many rejections").",
                        link: "/clients/\(id)/rollout", linkText: "Review and restore"))
            }
            let paused = try await sql.raw(
                """
                SELECT c.id, c.name, s.paused_by FROM rollout_settings s JOIN clients c ON c.id = s.client_id WHERE s.paused_at IS NOT NULL
                """ + SQLStatements.visible("c.id", to: clientIDs) + " ORDER BY c.name"
            ).all()
            for row in paused {
                alerts.append(
                    Alert(
                        text:
                            "Auto-approval and export of \(try row.decode(column: "name", as: String.self)) are paused (by \(try row.decode(column: "paused_by", as: String?.self) ?? "a manager")).",
                        link: "/clients/\(try row.decode(column: "id", as: Int.self))/rollout", linkText: "Rollout"))
            }
            return alerts
        }
    }
}
