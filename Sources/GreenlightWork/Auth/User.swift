import Foundation
import GreenlightCore
/// A person who logs in.
public struct User: Sendable, Equatable {
    public var id: Int
    public var email: String
    public var name: String
    public var role: Role

    public var reviewer: Reviewer { Reviewer(id: id, name: name) }
}
