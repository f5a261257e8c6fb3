import Foundation
import Crypto
import SQLKit
import GreenlightCore

/// API keys per client: shown once at creation, stored only as a SHA-256 hash.
public struct APIKeyRepository: Sendable {
    /// The caller a valid key identifies.
    public struct KeyOwner: Sendable, Equatable {
        public var keyID: Int
        public var clientID: Int
        public var name: String
        public var role: KeyRole
    }

    /// What a key may do: review its client's emails, or also start drafting jobs (the job API) and
    /// manage its client's rollout and exports.
    public enum KeyRole: String, Sendable, CaseIterable {
        case reviewer, manager

        /// The permissions a key of this role holds.
        public var permissions: Set<Permission> {
            switch self {
            case .reviewer: [.review]
            case .manager: [.review, .importContacts, .manageRollout]
            }
        }
    }

    let database: Database
    let clock: TimeSource

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    /// A key's last use is written at most this often: a write per API call would make every SQLite
    /// reader drop its page cache (a write ends every reader's snapshot) and cost PostgreSQL a commit.
    static let lastUseResolution = 60_000

    /// Longest key name.
    public static let maximumNameLength = 60

    /// A key's name as typed, trimmed, or what is wrong with it.
    public static func checkName(_ text: String) throws(InputError) -> String {
        let name = text.trimmedWhitespace()
        guard !name.isEmpty else { throw InputError(field: "name", "give the key a name to recognise it by (e.g. clay or make)") }
        guard name.count <= maximumNameLength else {
            throw InputError(field: "name", "a key's name has at most \(maximumNameLength) characters")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw InputError(field: "name", "a key's name must not contain control characters")
        }
        return name
    }

    /// Creates a key for the client and returns it in clear — the only time it exists in clear — and
    /// audits it in the same transaction (`userID` nil: the command line).
    public func create(clientID: Int, name typed: String, role: KeyRole = .reviewer, by userID: Int? = nil) async throws -> String {
        let name = try Self.checkName(typed)
        let key = "gl_" + SecureToken.make(bytes: 32)
        let hash = SecureToken.sha256(key)
        let prefix = String(key.prefix(10))
        let now = clock.nowMillis()
        try await database.write { sql in
            guard
                let client = try await sql.raw("SELECT name FROM clients WHERE id = \(bind: clientID)").first()?.decode(
                    column: "name", as: String.self)
            else { throw NotFound("that client") }
            try await sql.raw(
                """
                INSERT INTO api_keys (client_id, name, key_hash, key_prefix, key_last_four, created_at, role)
                VALUES (\(bind: clientID), \(bind: name), \(bind: hash), \(bind: prefix), \(bind: String(key.suffix(4))), \(bind: now), \(bind: role.rawValue))
                """
            ).run()
            try await AuditLog.append(sql, userID: userID, action: "API key created", target: client, details: "\(name) (\(role.rawValue))", at: now)
        }
        return key
    }

    /// A key as `apikey list` shows it (never the key itself).
    public struct Listing: Sendable {
        public var id: Int
        public var name: String
        public var prefix: String
        /// The key's last four characters (nil for keys made before they were kept).
        public var lastFour: String?
        public var createdAt: Int
        public var lastUsedAt: Int?
        public var revokedAt: Int?
        public var role: KeyRole
    }

    public func list(clientID: Int) async throws -> [Listing] {
        try await database.read { sql in
            try await sql.raw(
                "SELECT id, name, key_prefix, key_last_four, created_at, last_used_at, revoked_at, role FROM api_keys WHERE client_id = \(bind: clientID) ORDER BY id"
            ).all().map {
                Listing(
                    id: try $0.decode(column: "id", as: Int.self), name: try $0.decode(column: "name", as: String.self),
                    prefix: try $0.decode(column: "key_prefix", as: String.self), lastFour: try $0.decode(column: "key_last_four", as: String?.self),
                    createdAt: try $0.decode(column: "created_at", as: Int.self),
                    lastUsedAt: try $0.decode(column: "last_used_at", as: Int?.self), revokedAt: try $0.decode(column: "revoked_at", as: Int?.self),
                    role: KeyRole(rawValue: try $0.decode(column: "role", as: String.self)) ?? .reviewer)
            }
        }
    }

    /// Revokes the client's live keys with this name; returns how many (audited, `userID` nil: the command line).
    public func revoke(clientID: Int, name: String, by userID: Int? = nil) async throws -> Int {
        try await revoke(SQLQueryString("name = \(bind: name)"), clientID: clientID, by: userID)
    }

    /// Revokes one of the client's keys; false when it has no such live key.
    public func revoke(keyID: Int, clientID: Int, by userID: Int?) async throws -> Bool {
        try await revoke(SQLQueryString("id = \(bind: keyID)"), clientID: clientID, by: userID) > 0
    }

    private func revoke(_ which: SQLQueryString, clientID: Int, by userID: Int?) async throws -> Int {
        let now = clock.nowMillis()
        return try await database.write { sql in
            let names = try await sql.raw(
                "UPDATE api_keys SET revoked_at = \(bind: now) WHERE client_id = \(bind: clientID) AND revoked_at IS NULL AND " + which
                    + " RETURNING name"
            ).all().map { try $0.decode(column: "name", as: String.self) }
            if let name = names.first {
                let client = try await sql.raw("SELECT name FROM clients WHERE id = \(bind: clientID)").first()?.decode(
                    column: "name", as: String.self)
                try await AuditLog.append(
                    sql, userID: userID, action: "API key revoked", target: client ?? "client \(clientID)",
                    details: names.count == 1 ? name : "\(names.count) keys named \(name)", at: now)
            }
            return names.count
        }
    }

    /// The owner of a key that exists and is not revoked; records its last use (to the minute).
    public func authenticate(_ key: String) async throws -> KeyOwner? {
        guard key.hasPrefix("gl_"), key.count < 100 else { return nil }
        let hash = SecureToken.sha256(key)
        guard
            let row = try await database.read({ sql in
                try await sql.raw(
                    """
                    SELECT k.id, k.client_id, k.name, k.role, k.last_used_at FROM api_keys k JOIN clients c ON c.id = k.client_id AND c.archived_at IS NULL
                    WHERE k.key_hash = \(bind: hash) AND k.revoked_at IS NULL
                    """
                ).first()
            })
        else { return nil }
        let owner = KeyOwner(
            keyID: try row.decode(column: "id", as: Int.self), clientID: try row.decode(column: "client_id", as: Int.self),
            name: try row.decode(column: "name", as: String.self),
            role: KeyRole(rawValue: try row.decode(column: "role", as: String.self)) ?? .reviewer)
        let now = clock.nowMillis()
        if let lastUsed = try row.decode(column: "last_used_at", as: Int?.self), now - lastUsed < Self.lastUseResolution { return owner }
        try await database.write { sql in
            try await sql.raw("UPDATE api_keys SET last_used_at = \(bind: now) WHERE id = \(bind: owner.keyID)").run()
        }
        return owner
    }
}
