import Foundation
import SQLKit
import GreenlightCore

/// Reads one email with its history, within the clients the caller may see.
public struct EmailRepository: Sendable {
    let database: Database
    let clock: TimeSource

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    /// The email, or nil when it does not exist or belongs to a client outside `clientIDs`.
    public func summary(id: Int, clientIDs: [Int]? = nil) async throws -> EmailSummary? {
        var query =
            SQLQueryString("SELECT ") + EmailRows.columns + " FROM generated_emails e JOIN clients c ON c.id = e.client_id "
            + EmailRows.userJoins + SQLQueryString(" WHERE e.id = \(bind: id)")
        query = query + SQLStatements.visible("e.client_id", to: clientIDs)
        let now = clock.nowMillis()
        let finalQuery = query
        guard let row = try await database.read({ sql in try await sql.raw(finalQuery).first() }) else { return nil }
        return try EmailRows.summary(from: row, now: now)
    }

    /// The email's review events, oldest first.
    public func history(emailID: Int) async throws -> [ReviewEvent] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT r.id, r.actor_name AS user_name, r.action, r.before_text, r.after_text, r.reason, r.details, r.review_ms, r.created_at
                FROM review_events r WHERE r.email_id = \(bind: emailID) ORDER BY r.id
                """
            ).all().map { row in
                ReviewEvent(
                    id: try row.decode(column: "id", as: Int.self),
                    userName: try row.decode(column: "user_name", as: String?.self),
                    action: try row.decode(column: "action", as: String.self),
                    beforeText: try row.decode(column: "before_text", as: String?.self),
                    afterText: try row.decode(column: "after_text", as: String?.self),
                    reason: try row.decode(column: "reason", as: String?.self),
                    details: try row.decode(column: "details", as: String?.self),
                    reviewMilliseconds: try row.decode(column: "review_ms", as: Int?.self),
                    createdAt: try row.decode(column: "created_at", as: Int.self)
                )
            }
        }
    }
}
