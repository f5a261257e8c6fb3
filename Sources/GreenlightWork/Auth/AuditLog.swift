import Foundation
import SQLKit
import GreenlightCore

/// The append-only record of administrative actions: who did what to what, and when.
public struct AuditLog: Sendable {
    /// One entry as the audit page shows it.
    public struct Entry: Sendable {
        public var actor: String
        public var action: String
        public var target: String
        public var details: String
        public var createdAt: Int
    }

    let database: Database
    let clock: TimeSource

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    /// Appends an entry. `userID` is nil for actions taken from the command line.
    public func record(userID: Int?, actorName: String? = nil, action: String, target: String, details: String = "") async throws {
        try await database.write { sql in
            try await Self.append(sql, userID: userID, actorName: actorName, action: action, target: target, details: details, at: clock.nowMillis())
        }
    }

    /// Appends an entry inside the caller's transaction, so the change and its entry commit together.
    /// `actorName` names who acted when no user did (the app itself: "Greenlight"); with neither, the
    /// entry reads as the command line's.
    public static func append(
        _ sql: any SQLDatabase, userID: Int?, actorName: String? = nil, action: String, target: String, details: String = "", at millis: Int
    ) async throws {
        try await sql.raw(
            """
            INSERT INTO audit_log (user_id, actor_name, action, target, details, created_at)
            VALUES (\(bind: userID), \(bind: actorName), \(bind: action), \(bind: target), \(bind: details), \(bind: millis))
            """
        ).run()
    }

    /// The most recent entries, newest first.
    public func recent(limit: Int = 200) async throws -> [Entry] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT COALESCE(u.name, a.actor_name, 'command line') AS actor, a.action, a.target, a.details, a.created_at
                FROM audit_log a LEFT JOIN users u ON u.id = a.user_id ORDER BY a.id DESC LIMIT \(literal: max(1, min(limit, 1000)))
                """
            ).all().map { row in
                Entry(
                    actor: try row.decode(column: "actor", as: String.self), action: try row.decode(column: "action", as: String.self),
                    target: try row.decode(column: "target", as: String.self), details: try row.decode(column: "details", as: String.self),
                    createdAt: try row.decode(column: "created_at", as: Int.self))
            }
        }
    }
}
