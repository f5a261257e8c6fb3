import Foundation
import Hummingbird
import SQLKit
import GreenlightCore
import GreenlightWork

/// hummingbird-auth's session store over our database, so sessions survive restarts and are shared
/// between instances. Keys (which carry the session id) are stored as SHA-256 hashes.
public struct SQLPersistDriver: PersistDriver {
    /// What hummingbird-auth puts before a session id to make its key (`SessionStorage`'s `keyPrefix`).
    public static let sessionKeyPrefix = "session."

    let database: Database
    let clock: TimeSource

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    public func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        try await set(key: key, value: value, expires: expires)
    }

    public func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        let hash = SecureToken.sha256(key)
        let text = try JSONText.encode(value)
        let expiresAt = expires.map { clock.nowMillis() + Self.milliseconds($0) }
        let userID = (value as? UserSession)?.userID
        try await database.write { sql in
            // An upsert: concurrent requests renewing one session must not collide.
            try await sql.raw(
                """
                INSERT INTO sessions (key_hash, user_id, value, expires_at) VALUES (\(bind: hash), \(bind: userID), \(bind: text), \(bind: expiresAt))
                ON CONFLICT (key_hash) DO UPDATE SET user_id = excluded.user_id, value = excluded.value, expires_at = excluded.expires_at
                """
            ).run()
        }
    }

    public func get<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> Object? {
        try await getWithTTL(key: key, as: Object.self)?.object
    }

    public func getWithTTL<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> (object: Object, ttl: Duration?)? {
        let hash = SecureToken.sha256(key)
        let now = clock.nowMillis()
        guard
            let row = try await database.read({ sql in
                try await sql.raw(
                    "SELECT value, expires_at FROM sessions WHERE key_hash = \(bind: hash) AND (expires_at IS NULL OR expires_at > \(bind: now))"
                ).first()
            })
        else { return nil }
        let expiresAt = try row.decode(column: "expires_at", as: Int?.self)
        return (try JSONText.decode(Object.self, from: row.decode(column: "value", as: String.self)), expiresAt.map { .milliseconds($0 - now) })
    }

    /// The session stored under `key` with its user and the user's clients (nil for an admin: all), in
    /// one query: every signed-in request needs all three. Archived clients are in no one's list (an
    /// admin's is nil — every client — unless some client is archived: then the others, by a second
    /// query). Nil when the session is unknown, expired or not a user's, or the user is disabled.
    public func signedIn(key: String) async throws -> (session: UserSession, user: User, clientIDs: [Int]?)? {
        let hash = SecureToken.sha256(key)
        let now = clock.nowMillis()
        let rows = try await database.read(preparing: true) { sql in
            try await sql.raw(
                """
                SELECT s.value, u.id, u.email, u.name, u.role, uc.client_id, c.archived_at,
                (SELECT MAX(archived_at) FROM clients) AS last_archived
                FROM sessions s JOIN users u ON u.id = s.user_id AND u.disabled_at IS NULL
                LEFT JOIN user_clients uc ON uc.user_id = u.id LEFT JOIN clients c ON c.id = uc.client_id
                WHERE s.key_hash = \(bind: hash) AND (s.expires_at IS NULL OR s.expires_at > \(bind: now)) ORDER BY uc.client_id
                """
            ).all()
        }
        // A stored session that no longer decodes is no session (the caller signs in again).
        guard let first = rows.first, let session = try? JSONText.decode(UserSession.self, from: first.decode(column: "value", as: String.self))
        else { return nil }
        let user = try UserRepository.user(from: first)
        guard session.userID == user.id else { return nil }
        if user.role == .admin {
            guard try first.decode(column: "last_archived", as: Int?.self) != nil else { return (session, user, nil) }
            let active = try await database.read { sql in
                try await sql.raw("SELECT id FROM clients WHERE archived_at IS NULL ORDER BY id").all().map {
                    try $0.decode(column: "id", as: Int.self)
                }
            }
            return (session, user, active)
        }
        return (
            session, user,
            try rows.compactMap { row in
                try row.decode(column: "archived_at", as: Int?.self) == nil ? row.decode(column: "client_id", as: Int?.self) : nil
            }
        )
    }

    public func remove(key: String) async throws {
        let hash = SecureToken.sha256(key)
        try await database.write { sql in
            try await sql.raw("DELETE FROM sessions WHERE key_hash = \(bind: hash)").run()
        }
    }

    /// Deletes expired sessions (done at each login, so the table does not grow without end).
    public func purgeExpired() async throws {
        let now = clock.nowMillis()
        try await database.write { sql in
            try await sql.raw("DELETE FROM sessions WHERE expires_at IS NOT NULL AND expires_at <= \(bind: now)").run()
        }
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
