import Foundation
import SQLKit
import GreenlightCore

/// The team's users as managers and admins see and change them: role and clients (changing either
/// ends the user's sessions, so the next request is made with the new rights), deactivation and
/// reactivation. Every change is checked against ``TeamActor`` and audited with before and after,
/// in the transaction that makes it.
public struct TeamDirectory: Sendable {
    let database: Database
    let clock: TimeSource

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    /// The users the actor may manage, by name.
    public func members(visibleTo actor: TeamActor) async throws -> [TeamMember] {
        try await database.read { sql in try await Self.load(sql) }.filter { actor.mayManage(role: $0.role, clientIDs: $0.clientIDs, id: $0.id) }
    }

    /// One user the actor may manage; not found otherwise (a manager learns nothing of the others).
    public func member(id: Int, visibleTo actor: TeamActor) async throws -> TeamMember {
        guard let member = try await database.read({ sql in try await Self.load(sql, id: id) }).first,
            actor.mayManage(role: member.role, clientIDs: member.clientIDs, id: member.id)
        else { throw NotFound("that user") }
        return member
    }

    /// Gives a user a role and clients (see ``TeamActor/grant(role:clients:keeping:knownClients:)``) and
    /// ends their sessions. Returns the user as changed.
    @discardableResult
    public func change(memberID: Int, role: Role, clients chosen: [Int], by actor: TeamActor) async throws -> TeamMember {
        let now = clock.nowMillis()
        return try await database.write { sql in
            guard let member = try await Self.load(sql, id: memberID).first,
                actor.mayManage(role: member.role, clientIDs: member.clientIDs, id: member.id)
            else { throw NotFound("that user") }
            try actor.checkNotSelf(memberID, "change the role or clients of")
            let names = try await Self.clientNames(sql)
            let clients = try actor.grant(role: role, clients: chosen, keeping: member.clientIDs, knownClients: Array(names.keys))
            guard role != member.role || clients != member.clientIDs.sorted() else { return member }
            try await sql.raw("UPDATE users SET role = \(bind: role.rawValue) WHERE id = \(bind: memberID)").run()
            try await sql.raw("DELETE FROM user_clients WHERE user_id = \(bind: memberID)").run()
            for id in clients {
                try await sql.raw("INSERT INTO user_clients (user_id, client_id) VALUES (\(bind: memberID), \(bind: id))").run()
            }
            try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: memberID)").run()
            let details =
                "role \(member.role.rawValue) → \(role.rawValue); clients \(Self.text(member.clientIDs, names)) → \(Self.text(clients, names)); sessions ended"
            try await AuditLog.append(sql, userID: actor.user.id, action: "user changed", target: member.email, details: details, at: now)
            var changed = member
            changed.role = role
            changed.clientIDs = clients
            return changed
        }
    }

    /// Deactivates a user (they cannot sign in, their sessions end, their history stays) or lets them
    /// sign in again. Doing what is already done changes nothing and writes no audit entry.
    @discardableResult
    public func setActive(_ active: Bool, memberID: Int, by actor: TeamActor) async throws -> TeamMember {
        let now = clock.nowMillis()
        return try await database.write { sql in
            guard let member = try await Self.load(sql, id: memberID).first,
                actor.mayManage(role: member.role, clientIDs: member.clientIDs, id: member.id)
            else { throw NotFound("that user") }
            try actor.checkNotSelf(memberID, active ? "reactivate" : "deactivate")
            guard member.isActive != active else { return member }
            var changed = member
            if active {
                try await sql.raw("UPDATE users SET disabled_at = NULL WHERE id = \(bind: memberID)").run()
                changed.disabledAt = nil
            } else {
                try await sql.raw("UPDATE users SET disabled_at = \(bind: now) WHERE id = \(bind: memberID)").run()
                try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: memberID)").run()
                changed.disabledAt = now
            }
            try await AuditLog.append(
                sql, userID: actor.user.id, action: active ? "user reactivated" : "user deactivated", target: member.email,
                details: active ? "may sign in again" : "sessions ended; history kept", at: now)
            return changed
        }
    }

    static func load(_ sql: any SQLDatabase, id: Int? = nil) async throws -> [TeamMember] {
        let condition = id.map { SQLQueryString("WHERE u.id = \(bind: $0)") } ?? SQLQueryString("")
        let rows = try await sql.raw(
            """
            SELECT u.id, u.email, u.name, u.role, u.created_at, u.last_sign_in_at, u.disabled_at, uc.client_id
            FROM users u LEFT JOIN user_clients uc ON uc.user_id = u.id \(condition) ORDER BY u.name, u.id, uc.client_id
            """
        ).all()
        var members: [TeamMember] = []
        for row in rows {
            let id = try row.decode(column: "id", as: Int.self)
            let client = try row.decode(column: "client_id", as: Int?.self)
            if members.last?.id == id {
                if let client { members[members.count - 1].clientIDs.append(client) }
                continue
            }
            members.append(
                TeamMember(
                    id: id, email: try row.decode(column: "email", as: String.self), name: try row.decode(column: "name", as: String.self),
                    role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .sdr, clientIDs: client.map { [$0] } ?? [],
                    createdAt: try row.decode(column: "created_at", as: Int.self),
                    lastSignInAt: try row.decode(column: "last_sign_in_at", as: Int?.self),
                    disabledAt: try row.decode(column: "disabled_at", as: Int?.self)))
        }
        return members
    }

    /// Every client's name by id.
    package static func clientNames(_ sql: any SQLDatabase) async throws -> [Int: String] {
        var names: [Int: String] = [:]
        for row in try await sql.raw("SELECT id, name FROM clients").all() {
            names[try row.decode(column: "id", as: Int.self)] = try row.decode(column: "name", as: String.self)
        }
        return names
    }

    /// Clients' names for an audit entry: "Acme, Northwind", or "none".
    package static func text(_ ids: [Int], _ names: [Int: String]) -> String {
        ids.isEmpty ? "none" : ids.map { names[$0] ?? "client \($0)" }.sorted().joined(separator: ", ")
    }
}
