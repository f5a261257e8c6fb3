import Foundation
import Hummingbird

/// The checks a route makes before it acts: logged in, and with a role high enough.
extension AppRequestContext {
    /// The logged-in user, or 401 / the login page.
    func requireUser() throws -> User {
        guard let user else { throw AppError.unauthenticated }
        return user
    }

    /// The logged-in user if their role is at least `role`.
    func requireUser(atLeast role: Role) throws -> User {
        let user = try requireUser()
        guard user.role >= role else { throw AppError.forbidden("this needs the \(role.rawValue) role; you are \(user.role.rawValue)") }
        return user
    }

    /// The reviewer for a review action: a user, or the API key acting for its client.
    func requireReviewer() throws -> Reviewer {
        if let user { return user.reviewer }
        if let apiKey { return Reviewer(id: nil, name: "API key \(apiKey.name)") }
        throw AppError.unauthenticated
    }
}
