import Logging
import Foundation
import Hummingbird
import HummingbirdAuth

/// The login form, logging in and out.
struct LoginController {
    let views: ViewRenderer
    let users: UserRepository
    let sessions: SessionStorage<UserSession>
    let throttle: LoginThrottle
    let persist: SQLPersistDriver
    let sessionIdle: Duration
    let secureCookies: Bool

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/login", use: show)
        router.post("/login", use: login)
        router.post("/logout", use: logout)
    }

    struct LoginPage {
        var page: PageChrome
        var csrf: String
        var email: String
        var next: String
        var error: String?
    }

    struct LoginForm: Decodable {
        var email: String?
        var password: String?
        var next: String?
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.user != nil { return .redirect(to: "/review", type: .normal) }
        let next = Self.safeNext(request.uri.queryParameters.get("next"))
        return try page(context: context, request: request, email: "", next: next, error: nil, status: .ok)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await RequestBodyReader.form(LoginForm.self, request, context: context)
        let email = form.email?.trimmingCharacters(in: .whitespaces) ?? ""
        let next = Self.safeNext(form.next)
        guard !email.isEmpty, let password = form.password, !password.isEmpty else {
            return try page(context: context, request: request, email: email, next: next, error: "Enter your email and your password.", status: .unprocessableContent)
        }
        let keys = LoginThrottle.keys(email: email, address: context.remoteAddress)
        let wait = try await throttle.waitMilliseconds(keys: keys)
        if wait > 0 {
            let seconds = (wait + 999) / 1000
            return try page(context: context, request: request, email: email, next: next,
                            error: "Too many failed attempts. Try again in \(seconds) second\(seconds == 1 ? "" : "s").", status: .tooManyRequests)
        }
        guard let user = try await users.authenticate(email: email, password: password) else {
            try await throttle.recordFailure(keys: keys)
            context.logger.notice("failed login", metadata: ["email_hash": .string(String(SecureToken.sha256(EmailAddress.normalize(email)).prefix(12)))])
            return try page(context: context, request: request, email: email, next: next, error: "That email and password do not match an account.", status: .unauthorized)
        }
        try await throttle.recordSuccess(keys: [keys[0]])
        try await persist.purgeExpired()
        if context.session != nil {
            _ = try? await sessions.delete(request: request)
        }
        let cookie = try await sessions.save(session: UserSession(userID: user.id), expiresIn: sessionIdle)
        var response = Response.redirect(to: next, type: .normal)
        response.setCookie(cookie)
        return response
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        var response = Response.redirect(to: "/login", type: .normal)
        if let cookie = try? await sessions.delete(request: request) {
            response.setCookie(cookie)
        }
        return response
    }

    private func page(context: AppRequestContext, request: Request, email: String, next: String, error: String?, status: HTTPResponse.Status) throws -> Response {
        let token = request.cookies[CSRFMiddleware.loginCookie]?.value ?? SecureToken.make()
        var response = try views.response("login", LoginPage(page: PageChrome(title: "Log in", context: context), csrf: token, email: email, next: next, error: error), status: status)
        response.setCookie(Cookie(name: CSRFMiddleware.loginCookie, value: token, path: "/login", secure: secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    /// Only local paths: never an absolute URL or `//host` (no open redirect).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), !next.hasPrefix("/login") else { return "/review" }
        return next
    }
}
