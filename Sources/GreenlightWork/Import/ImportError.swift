import Foundation
/// Input from a file or a form that Greenlight refuses, with a message that names what is wrong.
/// Nothing has been changed when it is thrown.
public struct ImportError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
