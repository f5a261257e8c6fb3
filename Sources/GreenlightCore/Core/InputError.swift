import Foundation
/// A value from a form, a query or an API body that Greenlight refuses, naming the field and the problem.
public struct InputError: Error, CustomStringConvertible, Sendable, Equatable {
    public let field: String
    public let message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { message }
}
