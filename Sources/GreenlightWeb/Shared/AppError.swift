import Foundation
import Hummingbird

/// Errors the web layer raises itself, each with the status it answers.
public enum AppError: Error, Sendable, Equatable {
    /// Not logged in (pages redirect to /login; the API answers 401).
    case unauthenticated
    /// Logged in, but the role does not allow this.
    case forbidden(String)
    /// A state-changing request without the right CSRF token.
    case csrf
    /// The request body is larger than allowed.
    case tooLarge(Int)
    /// The body could not be read (malformed JSON or form).
    case badRequest(String)
}
