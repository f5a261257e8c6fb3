import Foundation
import SQLKit

/// Slows down password guessing: after 5 failures for an account or from an address, each further
/// attempt must wait twice as long as the last (1 s, 2 s, 4 s … up to 15 minutes). A success clears
/// the account's count. Unknown accounts are throttled exactly like real ones.
public struct LoginThrottle: Sendable {
    public static let freeFailures = 5
    public static let longestLock = 15 * 60 * 1000

    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Milliseconds to wait before another attempt for these keys; 0 when allowed now.
    public func waitMilliseconds(keys: [String], now: Int = Clock.nowMillis()) async throws -> Int {
        try await database.read { sql in
            var longest = 0
            for key in keys {
                if let row = try await sql.raw("SELECT locked_until FROM login_attempts WHERE key = \(bind: key)").first() {
                    longest = max(longest, try row.decode(column: "locked_until", as: Int.self) - now)
                }
            }
            return max(0, longest)
        }
    }

    public func recordFailure(keys: [String], now: Int = Clock.nowMillis()) async throws {
        try await database.write { sql in
            for key in keys {
                // One atomic upsert, so concurrent failures each count.
                let failures = try await sql.raw("""
                    INSERT INTO login_attempts (key, failures, locked_until, updated_at) VALUES (\(bind: key), 1, \(bind: now), \(bind: now))
                    ON CONFLICT (key) DO UPDATE SET failures = login_attempts.failures + 1, updated_at = excluded.updated_at
                    RETURNING failures
                    """).first()?.decode(column: "failures", as: Int.self) ?? 1
                let lock = failures < Self.freeFailures ? 0 : min(Self.longestLock, 1000 << min(20, failures - Self.freeFailures))
                try await sql.raw("UPDATE login_attempts SET locked_until = \(bind: now + lock) WHERE key = \(bind: key)").run()
            }
        }
    }

    public func recordSuccess(keys: [String]) async throws {
        try await database.write { sql in
            for key in keys {
                try await sql.raw("DELETE FROM login_attempts WHERE key = \(bind: key)").run()
            }
        }
    }

    /// The throttle keys of one attempt: the account as typed (normalised) and the caller's address.
    public static func keys(email: String, address: String?) -> [String] {
        ["account:" + SecureToken.sha256(EmailAddress.normalize(email)), "address:" + (address ?? "unknown")]
    }
}
