import Foundation
import GreenlightCore

/// A user as the team page shows them: role, clients, last sign-in and whether they may sign in.
public struct TeamMember: Sendable, Equatable {
    public var id: Int
    public var email: String
    public var name: String
    public var role: Role
    public var clientIDs: [Int]
    public var createdAt: Int
    public var lastSignInAt: Int?
    /// When the user was deactivated; nil while they may sign in.
    public var disabledAt: Int?

    public var isActive: Bool { disabledAt == nil }
}
