import Foundation
import SQLKit
import GreenlightCore

/// Each client's webhook credentials: a random token that is the last segment of the address the
/// sequencer posts to (`/hooks/instantly/{token}`, `/hooks/smartlead/{token}`), and a secret that
/// Smartlead repeats as `secret_key` in every delivery. Both are shown once, when made, and stored
/// as SHA-256 hashes; making new ones replaces the old (deliveries to the old address get 404).
public struct OutcomeHooks: Sendable {
    /// Credentials just made, shown once.
    public struct Made: Sendable {
        public var token: String
        public var secret: String
    }

    /// The client a token belongs to, with the hash its secret must match.
    public struct Owner: Sendable {
        public var clientID: Int
        public var secretHash: String
        /// The vendor Greenlight subscribed the webhook at itself (its deliveries then carry the secret).
        public var subscribedVendor: String?
    }

    /// The webhook Greenlight subscribed for the client, and its state as last read.
    public struct Subscription: Sendable, Equatable {
        public var vendor: String
        public var id: String
        public var state: String?
        public var checkedAt: Int?
    }

    let database: Database
    let clock: TimeSource

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    /// Makes the client's webhook token and secret (replacing any earlier ones); audited.
    public func make(clientID: Int, userID: Int?) async throws -> Made {
        let made = Made(token: SecureToken.make(), secret: SecureToken.make(bytes: 24))
        let now = clock.nowMillis()
        try await database.write { sql in
            let replaced =
                try await sql.raw("SELECT hook_created_at FROM clients WHERE id = \(bind: clientID) AND hook_token_hash IS NOT NULL").first() != nil
            try await sql.raw(
                """
                UPDATE clients SET hook_token_hash = \(bind: SecureToken.sha256(made.token)), hook_secret_hash = \(bind: SecureToken.sha256(made.secret)),
                hook_created_at = \(bind: now), hook_vendor = NULL, hook_vendor_id = NULL, hook_state = NULL, hook_checked_at = NULL WHERE id = \(bind: clientID)
                """
            ).run()
            try await AuditLog.append(
                sql, userID: userID, action: replaced ? "webhook address replaced" : "webhook address made", target: "client \(clientID)", at: now)
        }
        return made
    }

    /// The client whose token this is, or nil. The lookup is by the token's hash, so how long it takes
    /// tells nothing about the token; the hashes are compared once more in constant time.
    public func owner(token: String) async throws -> Owner? {
        guard (20...100).contains(token.utf8.count) else { return nil }
        let hash = SecureToken.sha256(token)
        guard
            let row = try await database.read({ sql in
                try await sql.raw(
                    "SELECT id, hook_token_hash, hook_secret_hash, hook_vendor FROM clients WHERE hook_token_hash = \(bind: hash)"
                ).first()
            }),
            SecureToken.constantTimeEquals(try row.decode(column: "hook_token_hash", as: String.self), hash)
        else { return nil }
        return Owner(
            clientID: try row.decode(column: "id", as: Int.self), secretHash: try row.decode(column: "hook_secret_hash", as: String?.self) ?? "",
            subscribedVendor: try row.decode(column: "hook_vendor", as: String?.self))
    }

    /// Whether `secret` is the one made with the owner's token.
    public static func secretMatches(_ secret: String, owner: Owner) -> Bool {
        !owner.secretHash.isEmpty && SecureToken.constantTimeEquals(SecureToken.sha256(secret), owner.secretHash)
    }

    /// Records the webhook Greenlight subscribed at the vendor for the client (active when made); audited.
    public func subscribed(clientID: Int, vendor: String, id: String, userID: Int?) async throws {
        let now = clock.nowMillis()
        try await database.write { sql in
            try await sql.raw(
                """
                UPDATE clients SET hook_vendor = \(bind: vendor), hook_vendor_id = \(bind: id), hook_state = 'active', hook_checked_at = \(bind: now)
                WHERE id = \(bind: clientID)
                """
            ).run()
            try await AuditLog.append(
                sql, userID: userID, action: "webhook subscribed", target: "client \(clientID)", details: "\(vendor) webhook \(id)", at: now)
        }
    }

    /// Keeps the state the vendor gave for the client's webhook.
    public func checked(clientID: Int, state: String) async throws {
        let now = clock.nowMillis()
        try await database.write { sql in
            try await sql.raw("UPDATE clients SET hook_state = \(bind: state), hook_checked_at = \(bind: now) WHERE id = \(bind: clientID)").run()
        }
    }

    /// The webhook Greenlight subscribed for the client, if it did.
    public func subscription(clientID: Int) async throws -> Subscription? {
        try await database.read { sql in
            guard
                let row = try await sql.raw(
                    "SELECT hook_vendor, hook_vendor_id, hook_state, hook_checked_at FROM clients WHERE id = \(bind: clientID) AND hook_vendor_id IS NOT NULL"
                ).first()
            else { return nil }
            return Subscription(
                vendor: try row.decode(column: "hook_vendor", as: String.self), id: try row.decode(column: "hook_vendor_id", as: String.self),
                state: try row.decode(column: "hook_state", as: String?.self), checkedAt: try row.decode(column: "hook_checked_at", as: Int?.self))
        }
    }

    /// When the client's webhook address was made, if it was.
    public func madeAt(clientID: Int) async throws -> Int? {
        try await database.read { sql in
            try await sql.raw("SELECT hook_created_at FROM clients WHERE id = \(bind: clientID)").first()?.decode(
                column: "hook_created_at", as: Int?.self)
        }
    }
}
