import Foundation
/// One entry of an email's audit trail: who did what, when, with the text before and after.
public struct ReviewEvent: Sendable, Equatable {
    public var id: Int
    public var userName: String?
    public var action: String
    public var beforeText: String?
    public var afterText: String?
    public var reason: String?
    public var details: String?
    public var reviewMilliseconds: Int?
    public var createdAt: Int
}
