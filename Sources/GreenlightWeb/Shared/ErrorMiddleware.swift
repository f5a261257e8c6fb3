import Logging
import Foundation
import Hummingbird

/// Turns every error into a clear answer in one place: JSON `{"error": {"code", "message"}}` under
/// `/api/`, `/hooks/` and `/metrics`, an HTML page elsewhere (or the login page when not logged in).
///
/// The app runs it twice: outside everything, and again inside authentication so that an error page
/// knows who is signed in and keeps their menu. The inner one (`passesUnrouted`) lets the router's
/// "no such route" through: the file middleware, between the two, serves `Public/` on that error.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let views: ViewRenderer
    var passesUnrouted = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where passesUnrouted && error.status == .notFound {
            throw error
        } catch {
            let answer = ErrorAnswer(error)
            if answer.status == .internalServerError {
                context.logger.error("request failed: \(String(reflecting: error))")
            }
            if Self.wantsJSON(request) {
                return try JSONAnswer.error(answer)
            }
            if case AppError.unauthenticated = error {
                let next = request.method == .get ? request.uri.string : "/review"
                return .redirect(to: "/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/review"), type: .normal)
            }
            return try views.response(
                "error", ErrorPage(page: PageChrome(title: "Error", context: context), status: Int(answer.status.code), message: answer.message),
                status: answer.status)
        }
    }

    static func wantsJSON(_ request: Request) -> Bool {
        // `/metrics` is for machines too: a scraper gets 401, never the login page.
        request.uri.path.hasPrefix("/api/") || request.uri.path.hasPrefix("/hooks/") || request.uri.path == "/metrics"
            || request.headers[.accept]?.hasPrefix("application/json") == true
    }
}

/// The error page's view model.
struct ErrorPage {
    var page: PageChrome
    var status: Int
    var message: String
}
