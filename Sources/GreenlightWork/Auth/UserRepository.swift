import Foundation
import SQLKit
import GreenlightCore

/// Stores users and checks their passwords.
public struct UserRepository: Sendable {
    let database: Database
    let clock: TimeSource
    let hasher: PasswordHasher

    public init(database: Database, hasher: PasswordHasher = PasswordHasher(), clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
        self.hasher = hasher
    }

    /// Creates a user, or resets the password, name and role of the user with that email. Returns the user.
    @discardableResult
    public func save(email: String, name: String? = nil, password: String, role: Role) async throws -> User {
        let email = try Credentials.email(email)
        try Credentials.password(password)
        let displayName = try Credentials.name(name, email: email)
        let hash = try await hasher.hash(password)
        let now = clock.nowMillis()
        let id = try await database.write { sql in
            if let existing = try await sql.raw("SELECT id FROM users WHERE email = \(bind: email)").first()?.decode(column: "id", as: Int.self) {
                try await sql.raw(
                    """
                    UPDATE users SET name = \(bind: displayName), password_hash = \(bind: hash), role = \(bind: role.rawValue), disabled_at = NULL WHERE id = \(bind: existing)
                    """
                ).run()
                try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: existing)").run()
                return existing
            }
            guard
                let row = try await sql.raw(
                    """
                    INSERT INTO users (email, name, password_hash, role, created_at) VALUES (\(bind: email), \(bind: displayName), \(bind: hash), \(bind: role.rawValue), \(bind: now))
                    RETURNING id
                    """
                ).first()
            else { throw StorageError("inserting user returned no id") }
            return try row.decode(column: "id", as: Int.self)
        }
        return User(id: id, email: email, name: displayName, role: role)
    }

    /// The user whose email and password match, or nil — the same answer, after the same work, whether the
    /// email is unknown or the password wrong.
    public func authenticate(email: String, password: String) async throws -> User? {
        let email = EmailAddress.normalize(email)
        let row = try await database.read { sql in
            try await sql.raw("SELECT id, email, name, role, password_hash FROM users WHERE email = \(bind: email) AND disabled_at IS NULL").first()
        }
        guard let row else {
            _ = try await hasher.hash(password)
            return nil
        }
        guard try await hasher.verify(password, hash: try row.decode(column: "password_hash", as: String.self)) else { return nil }
        return try Self.user(from: row)
    }

    public func find(email: String) async throws -> User? {
        let email = EmailAddress.normalize(email)
        return try await database.read { sql in
            try await sql.raw("SELECT id, email, name, role FROM users WHERE email = \(bind: email) AND disabled_at IS NULL").first().map(
                Self.user(from:))
        }
    }

    public func find(id: Int) async throws -> User? {
        try await database.read { sql in
            try await sql.raw("SELECT id, email, name, role FROM users WHERE id = \(bind: id) AND disabled_at IS NULL").first().map(Self.user(from:))
        }
    }

    package static func user(from row: any SQLRow) throws -> User {
        User(
            id: try row.decode(column: "id", as: Int.self),
            email: try row.decode(column: "email", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .sdr
        )
    }

    /// Stamps the user's last sign-in (the team page shows it).
    public func recordSignIn(userID: Int) async throws {
        let now = clock.nowMillis()
        try await database.write { sql in
            try await sql.raw("UPDATE users SET last_sign_in_at = \(bind: now) WHERE id = \(bind: userID)").run()
        }
    }

    /// Changes a user's own password once the current one is checked, and ends their other sessions
    /// (`keepingSession`: the key hash of the session making the change).
    public func changePassword(userID: Int, current: String, new: String, confirmation: String, keepingSession: String) async throws {
        guard
            let stored = try await database.read({ sql in
                try await sql.raw("SELECT email, password_hash FROM users WHERE id = \(bind: userID) AND disabled_at IS NULL").first()
            })
        else { throw NotFound("that user") }
        guard try await hasher.verify(current, hash: try stored.decode(column: "password_hash", as: String.self)) else {
            throw InputError(field: "current", "the current password is not right")
        }
        try Credentials.password(new, confirmation: confirmation)
        let hash = try await hasher.hash(new)
        let email = try stored.decode(column: "email", as: String.self)
        let now = clock.nowMillis()
        try await database.write { sql in
            try await sql.raw("UPDATE users SET password_hash = \(bind: hash) WHERE id = \(bind: userID)").run()
            try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: userID) AND key_hash <> \(bind: keepingSession)").run()
            try await AuditLog.append(sql, userID: userID, action: "password changed", target: email, details: "other sessions ended", at: now)
        }
    }

    /// How many live sessions the user has besides `keepingSession` (a session's key hash).
    public func otherSessions(userID: Int, keepingSession: String) async throws -> Int {
        let now = clock.nowMillis()
        return try await database.read { sql in
            try await sql.raw(
                """
                SELECT COUNT(*) AS n FROM sessions WHERE user_id = \(bind: userID) AND key_hash <> \(bind: keepingSession)
                AND (expires_at IS NULL OR expires_at > \(bind: now))
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Signs the user out everywhere but `keepingSession`; returns how many sessions ended (audited).
    @discardableResult
    public func endOtherSessions(userID: Int, keepingSession: String) async throws -> Int {
        let now = clock.nowMillis()
        return try await database.write { sql in
            let ended = try await sql.raw(
                "DELETE FROM sessions WHERE user_id = \(bind: userID) AND key_hash <> \(bind: keepingSession) RETURNING user_id"
            ).all().count
            let email = try await sql.raw("SELECT email FROM users WHERE id = \(bind: userID)").first()?.decode(column: "email", as: String.self)
            try await AuditLog.append(
                sql, userID: userID, action: "other sessions ended", target: email ?? "", details: "\(ended) session\(ended == 1 ? "" : "s")", at: now
            )
            return ended
        }
    }
}
