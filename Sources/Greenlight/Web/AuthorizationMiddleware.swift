import Logging
import Hummingbird

/// Enforces ``RoutePolicy`` for every request, before any handler runs: not logged in → 401 (or the
/// login page), logged in without the permission → 403. Paths outside the table fall through to the
/// router's 404 (static files are then served by FileMiddleware); a handler without a rule is refused.
struct AuthorizationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let route = RoutePolicy.route(method: request.method, path: request.uri.path) else {
            // Not in the table: the router answers 404 (and FileMiddleware, outside, serves Public/).
            // A handler that answers anyway was registered without a rule: refuse rather than leave it open.
            _ = try await next(request, context)
            context.logger.error("route \(request.method) \(request.uri.path) has no entry in RoutePolicy; refused")
            throw AppError.forbidden("this route has no access rule")
        }
        switch route.rule {
        case .open:
            break
        case .loggedIn:
            guard context.user != nil else {
                throw context.apiKey == nil ? AppError.unauthenticated : AppError.forbidden("an API key may not do this; log in instead")
            }
        case .needs(let permission):
            if let user = context.user {
                guard user.role.permissions.contains(permission) else {
                    throw AppError.forbidden("your role (\(user.role.rawValue)) may not do this")
                }
            } else if context.apiKey != nil {
                guard route.apiKey, RoutePolicy.apiKeyPermissions.contains(permission) else {
                    throw AppError.forbidden("an API key may not do this; log in instead")
                }
            } else {
                throw AppError.unauthenticated
            }
        }
        return try await next(request, context)
    }
}
