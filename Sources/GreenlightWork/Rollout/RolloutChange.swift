import Foundation

/// One entry of a client's rollout history (or of the global kill switch): who changed what, when,
/// the values before and after, and why.
public struct RolloutChange: Sendable, Equatable {
    /// What kind of change it was.
    public enum Action: String, Sendable, CaseIterable {
        case promote, demote, restore, settings, pause, resume
    }

    public var id: Int
    /// `nil` for the global kill switch.
    public var clientID: Int?
    public var userID: Int?
    public var actorName: String
    public var action: Action
    public var before: [String: String]
    public var after: [String: String]
    public var reason: String?
    public var createdAt: Int
}
