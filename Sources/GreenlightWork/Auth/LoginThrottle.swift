import Foundation
import SQLKit
import GreenlightCore

/// Slows down password guessing, per account and per client address: after 5 failures within an
/// hour, each further attempt must wait twice as long as the last (1 s, 2 s, 4 s … up to 15 minutes).
/// Failures older than the window are forgotten (and their rows purged), so an address shared by a
/// whole office is not locked for ever by one bad afternoon. Unknown accounts are throttled exactly
/// like real ones.
///
/// An attempt is *reserved* before the password is checked: one conditional upsert per key counts it
/// as a failure and sets the next lock, and refuses when the key is locked — so a hundred parallel
/// guesses cannot all slip past the check while bcrypt runs (≈ 0.3 s each). A correct password then
/// gives its reservation back.
public struct LoginThrottle: Sendable {
    public static let freeFailures = 5
    public static let longestLock = 15 * 60 * 1000
    /// Failures further apart than this start the count again. Longer than the longest lock, so
    /// waiting out a lock does not also reset the count.
    public static let window = 60 * 60 * 1000

    /// Why an attempt may not go ahead now.
    public struct Locked: Error, Sendable {
        public let waitMilliseconds: Int
    }

    let database: Database
    let clock: TimeSource

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    /// The lock that follows the `failures`-th failure, in milliseconds.
    public static func lock(afterFailures failures: Int) -> Int {
        failures < freeFailures ? 0 : min(longestLock, 1000 << min(20, failures - freeFailures))
    }

    /// Counts one attempt against every key, all or none, before the password is checked; throws
    /// ``Locked`` (counting nothing) when any key is locked. Also purges keys whose failures are all
    /// older than the window.
    public func reserve(keys: [String]) async throws {
        let now = clock.nowMillis()
        let forgotten = now - Self.window
        let failures: SQLQueryString = "(CASE WHEN login_attempts.updated_at <= \(bind: forgotten) THEN 1 ELSE login_attempts.failures + 1 END)"
        try await database.write { sql in
            try await sql.raw("DELETE FROM login_attempts WHERE updated_at <= \(bind: forgotten) AND locked_until <= \(bind: now)").run()
            for key in keys {
                // The lock for the count this attempt makes, as a CASE over the count (the same formula as
                // `lock(afterFailures:)`, spelled out so both databases compute it in the upsert).
                var lockedUntil = SQLQueryString("CASE")
                for count in Self.freeFailures..<(Self.freeFailures + 10) {
                    lockedUntil =
                        lockedUntil + " WHEN " + failures + SQLQueryString(" = \(bind: count) THEN \(bind: now + Self.lock(afterFailures: count))")
                }
                lockedUntil =
                    lockedUntil + " WHEN " + failures
                    + SQLQueryString(" < \(bind: Self.freeFailures) THEN \(bind: now) ELSE \(bind: now + Self.longestLock) END")
                let reserved =
                    try await sql.raw(
                        """
                        INSERT INTO login_attempts (key, failures, locked_until, updated_at) VALUES (\(bind: key), 1, \(bind: now + Self.lock(afterFailures: 1)), \(bind: now))
                        ON CONFLICT (key) DO UPDATE SET failures = \(failures), locked_until = \(lockedUntil), updated_at = excluded.updated_at
                        WHERE login_attempts.locked_until <= \(bind: now)
                        RETURNING failures
                        """
                    ).first() != nil
                if !reserved {
                    let until =
                        try await sql.raw("SELECT locked_until FROM login_attempts WHERE key = \(bind: key)").first()?
                        .decode(column: "locked_until", as: Int.self) ?? now
                    throw Locked(waitMilliseconds: max(1, until - now))
                }
            }
        }
    }

    /// Gives back a reservation whose password was right: the account's count is cleared, the address's
    /// count loses this attempt and its lock (a correct password from a shared address says nothing
    /// against the others behind it, but does not wipe the failures they made either).
    public func succeeded(account: String, address: String) async throws {
        let now = clock.nowMillis()
        try await database.write { sql in
            try await sql.raw("DELETE FROM login_attempts WHERE key = \(bind: account)").run()
            try await sql.raw(
                """
                UPDATE login_attempts SET failures = failures - 1, locked_until = \(bind: now) WHERE key = \(bind: address) AND failures > 0
                """
            ).run()
        }
    }

    /// Milliseconds to wait before another attempt for these keys; 0 when allowed now.
    public func waitMilliseconds(keys: [String]) async throws -> Int {
        let now = clock.nowMillis()
        return try await database.read { sql in
            var longest = 0
            for key in keys {
                if let row = try await sql.raw("SELECT locked_until FROM login_attempts WHERE key = \(bind: key)").first() {
                    longest = max(longest, try row.decode(column: "locked_until", as: Int.self) - now)
                }
            }
            return max(0, longest)
        }
    }

    /// The throttle keys of one attempt: the account as typed (normalised), then the caller's address.
    public static func keys(email: String, address: String?) -> (account: String, address: String) {
        ("account:" + SecureToken.sha256(EmailAddress.normalize(email)), "address:" + (address ?? "unknown"))
    }
}
