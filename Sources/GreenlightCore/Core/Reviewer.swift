import Foundation

/// Who acts on an email: a user (with an id) or an API key (no user id), and the name others see.
public struct Reviewer: Sendable, Equatable {
    public var id: Int?
    public var name: String

    public init(id: Int?, name: String) {
        self.id = id
        self.name = name
    }
}
