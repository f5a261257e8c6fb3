import Foundation
import SQLKit
import GreenlightCore

/// Stores users and checks their passwords.
public struct UserRepository: Sendable {
    /// Shortest password `user add` accepts.
    public static let minimumPasswordLength = 8

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
        let email = EmailAddress.normalize(email)
        guard EmailAddress.isValid(email) else { throw InputError(field: "email", "\"\(email)\" is not a valid email address") }
        guard password.count >= Self.minimumPasswordLength else {
            throw InputError(field: "password", "the password must have at least \(Self.minimumPasswordLength) characters")
        }
        let displayName = name?.trimmingCharacters(in: .whitespaces).isEmpty == false ? name! : Self.defaultName(for: email)
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

    /// "jane.doe@x.example" → "Jane Doe".
    static func defaultName(for email: String) -> String {
        email.split(separator: "@").first.map { local in
            local.split(whereSeparator: { ".-_".contains($0) }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        } ?? email
    }
}
