import HTTPTypes
import Foundation
import Hummingbird
import MultipartKit
import GreenlightWork

/// Refuses any state-changing request made with a session cookie unless it carries the session's
/// CSRF token (form field `_csrf` or header `X-CSRF-Token`). The login form, made before any session
/// exists, and the one-time link's form (``SetPasswordController``), are checked against a token
/// cookie instead (double submit); these routes are recognised by the route they match, not by their
/// spelling (`//login` and `/login/` are the same route). API-key
/// calls carry no cookie and need no token; nor do sequencers' webhook deliveries, whose path holds
/// the client's secret token.
///
/// A request that cannot carry a matching token (no token cookie, or neither the header nor a form
/// body) is refused before its body is read, so an anonymous caller cannot make the server read
/// megabytes for nothing.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let header = HTTPField.Name("X-CSRF-Token")!
    static let loginCookie = "greenlight_csrf"
    /// The forms made before a session exists.
    static let preSessionRoutes: Set<String> = ["/login", "/set-password/:token"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard ![.get, .head, .options].contains(request.method), context.apiKey == nil, context.route?.rule != .hookToken else {
            return try await next(request, context)
        }
        let expected: String
        if let session = context.session {
            expected = session.csrfToken
        } else if let pattern = context.route?.pattern, Self.preSessionRoutes.contains(pattern) {
            expected = request.cookies[Self.loginCookie]?.value ?? ""
        } else {
            return try await next(request, context)
        }
        guard !expected.isEmpty else { throw AppError.csrf }
        var request = request
        let provided: String
        if let header = request.headers[Self.header] {
            provided = header
        } else {
            guard Self.isForm(request) else { throw AppError.csrf }
            provided = try await Self.formToken(&request, context: context) ?? ""
        }
        guard SecureToken.constantTimeEquals(expected, provided) else {
            throw AppError.csrf
        }
        return try await next(request, context)
    }

    /// Whether the body is a form that can hold `_csrf`.
    static func isForm(_ request: Request) -> Bool {
        let contentType = request.headers[.contentType] ?? ""
        return contentType.hasPrefix("application/x-www-form-urlencoded") || contentType.hasPrefix("multipart/form-data")
    }

    private struct TokenField: Decodable {
        var _csrf: String?
    }

    /// Reads `_csrf` from a urlencoded or multipart body; the body stays readable for the handler.
    static func formToken(_ request: inout Request, context: Context) async throws -> String? {
        let contentType = request.headers[.contentType] ?? ""
        let body = try await RequestBodyReader.collect(&request, context: context)
        if contentType.hasPrefix("application/x-www-form-urlencoded") {
            return try? URLEncodedFormDecoder().decode(TokenField.self, from: String(buffer: body))._csrf
        }
        if contentType.hasPrefix("multipart/form-data"), let boundary = RequestBodyReader.boundary(contentType) {
            return (try? MultipartForm(body, boundary: boundary))?.text("_csrf")
        }
        return nil
    }
}
