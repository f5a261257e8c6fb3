import Logging
import Foundation
import Hummingbird
import HummingbirdAuth
import GreenlightCore
import GreenlightWork

/// The login form, logging in and out.
struct LoginController {
    let views: ViewRenderer
    let users: UserRepository
    let sessions: SessionStorage<UserSession>
    let throttle: LoginThrottle
    let persist: SQLPersistDriver
    let sessionIdle: Duration
    let secureCookies: Bool
    let clock: TimeSource

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
            return try page(
                context: context, request: request, email: email, next: next, error: "Enter your email and your password.",
                status: .unprocessableContent)
        }
        let keys = LoginThrottle.keys(email: email, address: context.clientAddress)
        do {
            try await throttle.reserve(keys: [keys.account, keys.address])
        } catch let locked as LoginThrottle.Locked {
            let seconds = (locked.waitMilliseconds + 999) / 1000
            return try page(
                context: context, request: request, email: email, next: next,
                error: "Too many failed attempts. Try again in \(seconds) second\(seconds == 1 ? "" : "s").", status: .tooManyRequests)
        }
        guard let user = try await users.authenticate(email: email, password: password) else {
            context.logger.notice(
                "failed login", metadata: ["email_hash": .string(String(SecureToken.sha256(EmailAddress.normalize(email)).prefix(12)))])
            return try page(
                context: context, request: request, email: email, next: next, error: "That email and password do not match an account.",
                status: .unauthorized)
        }
        try await throttle.succeeded(account: keys.account, address: keys.address)
        try await users.recordSignIn(userID: user.id)
        try await persist.purgeExpired()
        if context.session != nil {
            _ = try? await sessions.delete(request: request)
        }
        let saved = try await sessions.save(session: UserSession(userID: user.id, createdAt: clock.nowMillis()), expiresIn: sessionIdle)
        var response = Response.redirect(to: next, type: .normal)
        response.setCookie(Self.browserSessionCookie(saved))
        return response
    }

    /// The session cookie without an expiry date: the browser keeps it until it closes, and the server
    /// alone decides when the login ends (idle and absolute expiry, ``SessionRenewal``) — so an active
    /// user is never logged out by a cookie date set at login.
    static func browserSessionCookie(_ cookie: Cookie) -> Cookie {
        Cookie(
            name: cookie.name, value: cookie.value, path: cookie.path ?? "/", secure: cookie.secure, httpOnly: true, sameSite: cookie.sameSite ?? .lax
        )
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        var response = Response.redirect(to: "/login", type: .normal)
        if let cookie = try? await sessions.delete(request: request) {
            response.setCookie(cookie)
        }
        return response
    }

    private func page(context: AppRequestContext, request: Request, email: String, next: String, error: String?, status: HTTPResponse.Status) throws
        -> Response
    {
        let token = request.cookies[CSRFMiddleware.loginCookie]?.value ?? SecureToken.make()
        var response = try views.response(
            "login", LoginPage(page: PageChrome(title: "Log in", context: context), csrf: token, email: email, next: next, error: error),
            status: status)
        response.setCookie(
            Cookie(name: CSRFMiddleware.loginCookie, value: token, path: "/login", secure: secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    /// Where to go after logging in: only a path on this site. Browsers drop ASCII tabs and newlines
    /// from URLs and read `\\` as `/`, so `/\t/evil.example` or `/\\evil.example` would leave the
    /// site: the value counts as what a browser would make of it — whitespace and control characters
    /// removed — and must then parse with no scheme and no host, contain no backslash (plain or
    /// percent-encoded), and not lead back to the login page. Anything else goes to the queue.
    static func safeNext(_ next: String?) -> String {
        let fallback = "/review"
        guard let next else { return fallback }
        let cleaned = String(String.UnicodeScalarView(next.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }))
        let path = String(cleaned.prefix { $0 != "?" && $0 != "#" })
        guard cleaned.hasPrefix("/"), !cleaned.hasPrefix("//"), !cleaned.contains("\\"),
            let decodedPath = path.removingPercentEncoding,
            !decodedPath.contains("\\"), !decodedPath.hasPrefix("//"),
            !decodedPath.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }),
            let components = URLComponents(string: cleaned), components.scheme == nil, components.host == nil,
            components.user == nil, components.port == nil
        else { return fallback }
        let segments = decodedPath.split(separator: "/").filter { $0 != "." }
        if let first = segments.first?.lowercased(), first == "login" || first == "logout" { return fallback }
        return cleaned
    }
}
