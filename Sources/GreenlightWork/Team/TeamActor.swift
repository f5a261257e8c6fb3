import Foundation
import GreenlightCore

/// Who manages the team, and the limits of what they may do: an admin acts on anyone and grants
/// anything; a manager acts only on the non-admins who share one of their clients (and on their own
/// invitations), grants no admin role and no client they do not work on. Nobody changes their own
/// role, clients or status (so nobody locks themselves out, and one admin always remains).
public struct TeamActor: Sendable {
    public var user: User
    /// The actor's clients; nil for an admin (every client).
    public var clientIDs: [Int]?

    public init(user: User, clientIDs: [Int]?) {
        self.user = user
        self.clientIDs = user.role == .admin ? nil : (clientIDs ?? [])
    }

    public var isAdmin: Bool { user.role == .admin }

    /// Whether the actor works on this client.
    public func sees(clientID: Int) -> Bool { clientIDs?.contains(clientID) ?? true }

    /// The roles the actor may give.
    public var grantableRoles: [Role] { isAdmin ? Role.allCases : [.sdr, .manager] }

    /// Whether the actor may see and change this member.
    public func mayManage(role: Role, clientIDs memberClients: [Int], id: Int?) -> Bool {
        if isAdmin { return true }
        if id == user.id { return true }
        return role != .admin && memberClients.contains(where: sees(clientID:))
    }

    /// Checks a role and clients the actor wants to give; returns the clients a member ends up with:
    /// those chosen, plus those the member already had on clients the actor does not see.
    public func grant(role: Role, clients chosen: [Int], keeping existing: [Int] = [], knownClients: [Int]) throws(InputError) -> [Int] {
        guard grantableRoles.contains(role) else {
            throw InputError(field: "role", "only an admin may make someone an admin")
        }
        for id in chosen where !knownClients.contains(id) || !sees(clientID: id) {
            throw InputError(field: "clients", "client \(id) is not one you work on")
        }
        let kept = existing.filter { !sees(clientID: $0) }
        let result = Array(Set(chosen + kept)).sorted()
        if role != .admin && chosen.isEmpty {
            throw InputError(field: "clients", "choose at least one client: an SDR or a manager without a client sees no email")
        }
        return result
    }

    /// Refuses what no one may do to themselves.
    public func checkNotSelf(_ memberID: Int, _ what: String) throws(InputError) {
        if memberID == user.id {
            throw InputError(field: "user", "you cannot \(what) yourself: ask another \(isAdmin ? "admin" : "manager or an admin")")
        }
    }
}
