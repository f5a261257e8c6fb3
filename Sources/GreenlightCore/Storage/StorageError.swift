import Foundation
/// The database answered something Greenlight did not expect (a bug or a broken schema, not bad input).
public struct StorageError: Error, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
