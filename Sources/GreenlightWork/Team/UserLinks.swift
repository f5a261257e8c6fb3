import Foundation
import SQLKit
import GreenlightCore

/// Invitations and password resets as one-time links (``UserLink``): made by a manager or an admin
/// within ``TeamActor``'s limits, valid 72 hours, used once, revocable; following one sets a
/// password by ``Credentials``' rules. Greenlight sends no email: the maker copies the link to the
/// person. Every step is audited (never the password, never the link).
public struct UserLinks: Sendable {
    /// How long a link stays valid.
    public static let lifetimeMillis = 72 * 3_600_000

    let database: Database
    let clock: TimeSource
    let hasher: PasswordHasher

    public init(database: Database, hasher: PasswordHasher = PasswordHasher(), clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
        self.hasher = hasher
    }

    /// A link just made, with the token that is its only copy in clear.
    public struct Made: Sendable {
        public var link: UserLink
        public var token: String
    }

    /// Invites `email` with a role and clients. Refused when the address already has an account or a
    /// pending invitation (resend or revoke that one).
    public func invite(email typed: String, role: Role, clients chosen: [Int], by actor: TeamActor) async throws -> Made {
        let email = try Credentials.email(typed)
        let now = clock.nowMillis()
        return try await database.write { sql in
            let names = try await TeamDirectory.clientNames(sql)
            let clients = try actor.grant(role: role, clients: chosen, knownClients: Array(names.keys))
            if try await sql.raw("SELECT id FROM users WHERE email = \(bind: email)").first() != nil {
                throw InputError(field: "email", "\(email) already has an account: change it, or send a password reset, from their page")
            }
            let pending = try await Self.load(sql, SQLQueryString("email = \(bind: email) AND purpose = 'invite'")).filter {
                $0.state(at: now) == .pending
            }
            if !pending.isEmpty {
                throw InputError(field: "email", "\(email) already has a pending invitation: resend or revoke it below")
            }
            let made = try await Self.insert(
                sql, purpose: .invite, email: email, userID: nil, role: role, clients: clients, by: actor.user.id, now: now)
            try await AuditLog.append(
                sql, userID: actor.user.id, action: "user invited", target: email,
                details: "role \(role.rawValue); clients \(TeamDirectory.text(clients, names)); link valid 72 h", at: now)
            return made
        }
    }

    /// A new link for a pending or expired invitation; the old link stops working.
    public func resend(linkID: Int, by actor: TeamActor) async throws -> Made {
        let now = clock.nowMillis()
        return try await database.write { sql in
            let link = try await Self.manageable(sql, linkID, actor)
            guard link.purpose == .invite, [.pending, .expired].contains(link.state(at: now)) else {
                throw InputError(field: "invitation", "that invitation was \(link.state(at: now).rawValue): invite \(link.email) again instead")
            }
            try await sql.raw("UPDATE user_links SET revoked_at = \(bind: now) WHERE id = \(bind: link.id)").run()
            let made = try await Self.insert(
                sql, purpose: .invite, email: link.email, userID: nil, role: link.role, clients: link.clientIDs, by: actor.user.id, now: now)
            try await AuditLog.append(
                sql, userID: actor.user.id, action: "invitation resent", target: link.email, details: "new link valid 72 h; the old one revoked",
                at: now)
            return made
        }
    }

    /// Revokes a pending link; revoking one no longer pending changes nothing.
    public func revoke(linkID: Int, by actor: TeamActor) async throws -> UserLink {
        let now = clock.nowMillis()
        return try await database.write { sql in
            var link = try await Self.manageable(sql, linkID, actor)
            guard link.state(at: now) == .pending else { return link }
            try await sql.raw("UPDATE user_links SET revoked_at = \(bind: now) WHERE id = \(bind: link.id)").run()
            try await AuditLog.append(
                sql, userID: actor.user.id, action: link.purpose == .invite ? "invitation revoked" : "password reset revoked", target: link.email,
                at: now)
            link.revokedAt = now
            return link
        }
    }

    /// A link with which an active user sets a new password; earlier reset links of theirs stop working.
    public func reset(memberID: Int, by actor: TeamActor) async throws -> Made {
        let now = clock.nowMillis()
        return try await database.write { sql in
            guard let member = try await TeamDirectory.load(sql, id: memberID).first,
                actor.mayManage(role: member.role, clientIDs: member.clientIDs, id: member.id)
            else { throw NotFound("that user") }
            guard member.isActive else {
                throw InputError(field: "user", "\(member.email) is deactivated: reactivate them first")
            }
            try await sql.raw(
                """
                UPDATE user_links SET revoked_at = \(bind: now)
                WHERE user_id = \(bind: memberID) AND purpose = 'reset' AND used_at IS NULL AND revoked_at IS NULL
                """
            ).run()
            let made = try await Self.insert(
                sql, purpose: .reset, email: member.email, userID: member.id, role: member.role, clients: member.clientIDs, by: actor.user.id,
                now: now)
            try await AuditLog.append(
                sql, userID: actor.user.id, action: "password reset link made", target: member.email, details: "valid 72 h", at: now)
            return made
        }
    }

    /// The invitations the actor may see (theirs, or naming one of their clients; all for an admin),
    /// newest first, with the ones that are over for the last week.
    public func invitations(visibleTo actor: TeamActor) async throws -> [UserLink] {
        let since = clock.nowMillis() - 7 * 86_400_000
        return try await database.read { sql in
            try await Self.load(
                sql, SQLQueryString("purpose = 'invite' AND (created_at > \(bind: since) OR (used_at IS NULL AND revoked_at IS NULL))"))
        }.filter { Self.visible($0, to: actor) }.sorted { $0.id > $1.id }
    }

    /// The link a token opens, while it is pending; nil otherwise (unknown, used, revoked or expired).
    public func open(token: String) async throws -> UserLink? {
        guard token.count < 100 else { return nil }
        let now = clock.nowMillis()
        let hash = SecureToken.sha256(token)
        return try await database.read { sql in try await Self.load(sql, SQLQueryString("token_hash = \(bind: hash)")).first }.flatMap {
            $0.state(at: now) == .pending ? $0 : nil
        }
    }

    /// Follows a link: sets the password (and, for an invitation, makes the user with its role and the
    /// clients that still exist), uses the link up and ends the user's other sessions. Returns the user.
    public func accept(token: String, name: String?, password: String, confirmation: String) async throws -> User {
        guard let link = try await open(token: token) else { throw NotFound("that link") }
        let displayName = try Credentials.name(name, email: link.email)
        try Credentials.password(password, confirmation: confirmation)
        let hash = try await hasher.hash(password)
        let now = clock.nowMillis()
        return try await database.write { sql in
            // Used once: the first of two concurrent submissions wins, the other finds it used.
            guard
                try await sql.raw(
                    """
                    UPDATE user_links SET used_at = \(bind: now)
                    WHERE id = \(bind: link.id) AND used_at IS NULL AND revoked_at IS NULL AND expires_at > \(bind: now) RETURNING id
                    """
                ).first() != nil
            else { throw NotFound("that link") }
            switch link.purpose {
            case .invite:
                if try await sql.raw("SELECT id FROM users WHERE email = \(bind: link.email)").first() != nil {
                    throw InputError(field: "email", "\(link.email) already has an account: sign in, or ask for a password reset")
                }
                guard
                    let id = try await sql.raw(
                        """
                        INSERT INTO users (email, name, password_hash, role, created_at, last_sign_in_at)
                        VALUES (\(bind: link.email), \(bind: displayName), \(bind: hash), \(bind: link.role.rawValue), \(bind: now), \(bind: now)) RETURNING id
                        """
                    ).first()?.decode(column: "id", as: Int.self)
                else { throw StorageError("inserting the invited user returned no id") }
                for client in link.clientIDs {
                    try await sql.raw(
                        """
                        INSERT INTO user_clients (user_id, client_id) SELECT \(bind: id), id FROM clients WHERE id = \(bind: client)
                        """
                    ).run()
                }
                try await sql.raw("UPDATE user_links SET user_id = \(bind: id) WHERE id = \(bind: link.id)").run()
                try await AuditLog.append(
                    sql, userID: id, action: "invitation accepted", target: link.email, details: "role \(link.role.rawValue)", at: now)
                return User(id: id, email: link.email, name: displayName, role: link.role)
            case .reset:
                guard let userID = link.userID,
                    let row = try await sql.raw(
                        "SELECT id, email, name, role FROM users WHERE id = \(bind: userID) AND disabled_at IS NULL"
                    ).first()
                else { throw NotFound("that link") }
                try await sql.raw("UPDATE users SET password_hash = \(bind: hash), last_sign_in_at = \(bind: now) WHERE id = \(bind: userID)").run()
                try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: userID)").run()
                try await AuditLog.append(sql, userID: userID, action: "password reset", target: link.email, details: "sessions ended", at: now)
                return try UserRepository.user(from: row)
            }
        }
    }

    static func visible(_ link: UserLink, to actor: TeamActor) -> Bool {
        actor.isAdmin || link.createdBy == actor.user.id || (link.role != .admin && link.clientIDs.contains(where: actor.sees(clientID:)))
    }

    static func manageable(_ sql: any SQLDatabase, _ id: Int, _ actor: TeamActor) async throws -> UserLink {
        guard let link = try await load(sql, SQLQueryString("id = \(bind: id)")).first, visible(link, to: actor) else {
            throw NotFound("that invitation")
        }
        return link
    }

    static func insert(
        _ sql: any SQLDatabase, purpose: UserLink.Purpose, email: String, userID: Int?, role: Role, clients: [Int], by creator: Int, now: Int
    ) async throws -> Made {
        let token = SecureToken.make(bytes: 32)
        let expires = now + lifetimeMillis
        guard
            let id = try await sql.raw(
                """
                INSERT INTO user_links (token_hash, purpose, email, user_id, role, client_ids_json, created_by, created_at, expires_at)
                VALUES (\(bind: SecureToken.sha256(token)), \(bind: purpose.rawValue), \(bind: email), \(bind: userID), \(bind: role.rawValue),
                \(bind: try JSONText.encode(clients)), \(bind: creator), \(bind: now), \(bind: expires)) RETURNING id
                """
            ).first()?.decode(column: "id", as: Int.self)
        else { throw StorageError("inserting a link returned no id") }
        let link = UserLink(
            id: id, purpose: purpose, email: email, userID: userID, role: role, clientIDs: clients, createdBy: creator, createdAt: now,
            expiresAt: expires)
        return Made(link: link, token: token)
    }

    static func load(_ sql: any SQLDatabase, _ condition: SQLQueryString) async throws -> [UserLink] {
        try await sql.raw("SELECT * FROM user_links WHERE " + condition + " ORDER BY id").all().map { row in
            UserLink(
                id: try row.decode(column: "id", as: Int.self),
                purpose: UserLink.Purpose(rawValue: try row.decode(column: "purpose", as: String.self)) ?? .invite,
                email: try row.decode(column: "email", as: String.self), userID: try row.decode(column: "user_id", as: Int?.self),
                role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .sdr,
                clientIDs: try JSONText.decode([Int].self, from: row.decode(column: "client_ids_json", as: String.self)),
                createdBy: try row.decode(column: "created_by", as: Int?.self), createdAt: try row.decode(column: "created_at", as: Int.self),
                expiresAt: try row.decode(column: "expires_at", as: Int.self), usedAt: try row.decode(column: "used_at", as: Int?.self),
                revokedAt: try row.decode(column: "revoked_at", as: Int?.self))
        }
    }
}
