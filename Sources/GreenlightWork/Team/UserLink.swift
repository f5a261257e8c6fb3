import Foundation
import GreenlightCore

/// A one-time link: an invitation (the invitee sets their name and first password and becomes a
/// user with the role and clients chosen) or a password reset (the user sets a new password). Only
/// its SHA-256 hash is stored; the link itself is shown once, to the person who made it.
public struct UserLink: Sendable, Equatable {
    /// What following the link does.
    public enum Purpose: String, Sendable, CaseIterable {
        case invite, reset
    }

    /// Where a link stands at a moment.
    public enum State: String, Sendable {
        case pending, expired, used, revoked
    }

    public var id: Int
    public var purpose: Purpose
    public var email: String
    /// The user a reset is for; for an invitation, the user it made once accepted.
    public var userID: Int?
    public var role: Role
    public var clientIDs: [Int]
    public var createdBy: Int?
    public var createdAt: Int
    public var expiresAt: Int
    public var usedAt: Int?
    public var revokedAt: Int?

    public func state(at now: Int) -> State {
        if usedAt != nil { return .used }
        if revokedAt != nil { return .revoked }
        return now < expiresAt ? .pending : .expired
    }
}
