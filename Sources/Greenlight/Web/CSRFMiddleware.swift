import HTTPTypes
import Foundation
import Hummingbird
import MultipartKit

/// Refuses any state-changing request made with a session cookie unless it carries the session's
/// CSRF token (form field `_csrf` or header `X-CSRF-Token`). The login form, made before any session
/// exists, is checked against a token cookie instead (double submit). API-key calls carry no cookie
/// and need no token.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let header = HTTPField.Name("X-CSRF-Token")!
    static let loginCookie = "greenlight_csrf"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard ![.get, .head, .options].contains(request.method), context.apiKey == nil else {
            return try await next(request, context)
        }
        let expected: String
        if let session = context.session {
            expected = session.csrfToken
        } else if request.uri.path == "/login" {
            expected = request.cookies[Self.loginCookie]?.value ?? ""
        } else {
            return try await next(request, context)
        }
        var request = request
        let provided: String
        if let header = request.headers[Self.header] {
            provided = header
        } else {
            provided = try await Self.formToken(&request, context: context) ?? ""
        }
        guard !expected.isEmpty, SecureToken.constantTimeEquals(expected, provided) else {
            throw AppError.csrf
        }
        return try await next(request, context)
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
