import Foundation
import Hummingbird
import HummingbirdAuth
import GreenlightWork

/// Finds who is calling: an `Authorization: Bearer` API key, or the user of the session cookie.
/// A bearer key that is wrong or revoked is refused outright; no cookie simply means anonymous.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let sessions: SessionStorage<UserSession>
    /// Reads the session with its user in one query.
    let persist: SQLPersistDriver
    let apiKeys: APIKeyRepository
    let renewal: SessionRenewal
    let alerts: RolloutAlerts
    /// `GREENLIGHT_METRICS_TOKEN`: the bearer a metrics scraper presents at `/metrics`; nil: admins only.
    let metricsToken: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let token = metricsToken, request.uri.path == "/metrics", let authorization = request.headers[.authorization],
            SecureToken.constantTimeEquals(authorization, "Bearer " + token)
        {
            context.metricsScraper = true
        } else if let authorization = request.headers[.authorization] {
            guard authorization.lowercased().hasPrefix("bearer "),
                let owner = try await apiKeys.authenticate(String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces))
            else {
                throw AppError.unauthenticated
            }
            context.apiKey = owner
        } else if let id = sessions.getId(request: request),
            let (session, user, clientIDs) = try await persist.signedIn(key: SQLPersistDriver.sessionKeyPrefix + id)
        {
            if let expired = try await renewal.renewOrEnd(session, request: request) {
                var response = Response.redirect(to: "/login", type: .normal)
                response.setCookie(expired)
                if request.uri.path.hasPrefix("/api/") || request.method != .get { throw AppError.unauthenticated }
                return response
            }
            context.user = user
            context.session = session
            context.assignedClientIDs = clientIDs
            // Managers see demotions and paused clients on every page; SDRs' requests skip the query.
            if user.role.permissions.contains(.manageRollout), request.method == .get, !request.uri.path.hasPrefix("/api/") {
                context.alerts = try await alerts.load(clientIDs: clientIDs)
            }
        }
        return try await next(request, context)
    }
}
