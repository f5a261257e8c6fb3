import Foundation

/// A thing the caller asked for does not exist, or is outside the clients they may see.
public struct NotFound: Error, CustomStringConvertible, Sendable, Equatable {
    public let what: String

    public init(_ what: String) {
        self.what = what
    }

    public var description: String { "\(what) was not found" }
}
