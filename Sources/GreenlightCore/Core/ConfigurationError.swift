import Foundation
/// A configuration value (option, environment variable, file) that cannot be used, with a message naming what is wrong.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
