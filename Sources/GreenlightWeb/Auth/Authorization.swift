import Foundation
import Hummingbird
import GreenlightCore
import GreenlightWork

/// Who is acting, for handlers; whether they may act at all is ``AuthorizationMiddleware``'s job.
extension AppRequestContext {
    /// The logged-in user, or 401 / the login page.
    func requireUser() throws -> User {
        guard let user else { throw AppError.unauthenticated }
        return user
    }

    /// The reviewer for a review action: a user, or the API key acting for its client.
    func requireReviewer() throws -> Reviewer {
        if let user { return user.reviewer }
        if let apiKey { return Reviewer(id: nil, name: "API key \(apiKey.name)") }
        throw AppError.unauthenticated
    }
}
