import Logging
import Hummingbird
import GreenlightWork

/// Enforces ``RoutePolicy`` for every request, before any handler runs and before any body is read:
/// not logged in → 401 (or the login page), logged in without the permission → 403, a declared body
/// larger than the route's limit → 413. A path outside the table is 404 without calling any handler
/// (FileMiddleware, outside, then serves `Public/`); `buildRouter` refuses to start with a handler
/// the table does not name.
struct AuthorizationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let route = RoutePolicy.route(method: request.method, path: request.uri.path) else {
            throw HTTPError(.notFound)
        }
        var context = context
        context.route = route
        switch route.rule {
        case .open, .hookToken:
            break
        case .loggedIn:
            guard context.user != nil else {
                throw context.apiKey == nil ? AppError.unauthenticated : AppError.forbidden("an API key may not do this; log in instead")
            }
        case .metrics:
            guard context.metricsScraper || context.user?.role.permissions.contains(.viewMetrics) == true else {
                if context.user == nil && context.apiKey == nil { throw AppError.unauthenticated }
                throw AppError.forbidden("only admins, or a scraper with the metrics token, read the metrics")
            }
        case .needs(let permission):
            if let user = context.user {
                guard user.role.permissions.contains(permission) else {
                    throw AppError.forbidden("your role (\(user.role.rawValue)) may not do this")
                }
            } else if let key = context.apiKey {
                guard route.apiKey else { throw AppError.forbidden("an API key may not do this; log in instead") }
                guard key.role.permissions.contains(permission) else {
                    throw AppError.forbidden("this API key's role (\(key.role.rawValue)) may not do this: a manager key may")
                }
            } else {
                throw AppError.unauthenticated
            }
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > route.bodyLimit {
            throw AppError.tooLarge(route.bodyLimit)
        }
        return try await next(request, context)
    }
}
