import Foundation
import Hummingbird
import SQLKit

/// hummingbird-auth's session store over our database, so sessions survive restarts and are shared
/// between instances. Keys (which carry the session id) are stored as SHA-256 hashes.
public struct SQLPersistDriver: PersistDriver {
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
            try await sql.raw("""
                INSERT INTO sessions (key_hash, user_id, value, expires_at) VALUES (\(bind: hash), \(bind: userID), \(bind: text), \(bind: expiresAt))
                ON CONFLICT (key_hash) DO UPDATE SET user_id = excluded.user_id, value = excluded.value, expires_at = excluded.expires_at
                """).run()
        }
    }

    public func get<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> Object? {
        try await getWithTTL(key: key, as: Object.self)?.object
    }

    public func getWithTTL<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> (object: Object, ttl: Duration?)? {
        let hash = SecureToken.sha256(key)
        let now = clock.nowMillis()
        guard let row = try await database.read({ sql in
            try await sql.raw("SELECT value, expires_at FROM sessions WHERE key_hash = \(bind: hash) AND (expires_at IS NULL OR expires_at > \(bind: now))").first()
        }) else { return nil }
        let expiresAt = try row.decode(column: "expires_at", as: Int?.self)
        return (try JSONText.decode(Object.self, from: row.decode(column: "value", as: String.self)), expiresAt.map { .milliseconds($0 - now) })
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
