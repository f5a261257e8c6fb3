import Foundation
import Hummingbird
import HummingbirdAuth
import GreenlightCore
import GreenlightWork

/// The page a one-time link opens (``UserLinks``): an invitee chooses a name and password, or a user
/// a new password; then they are signed in. Open to anyone holding the link; its form carries a
/// token cookie (double submit, as the login form does) because no session exists yet.
struct SetPasswordController {
    let views: ViewRenderer
    let links: UserLinks
    let sessions: SessionStorage<UserSession>
    let sessionIdle: Duration
    let secureCookies: Bool
    let clock: TimeSource

    /// Where the token cookie is sent: only to these pages.
    static let cookiePath = "/set-password"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/set-password/:token", use: show)
        router.post("/set-password/:token", use: submit)
    }

    struct SetPasswordPage {
        var page: PageChrome
        var csrf: String
        var email: String
        var invite: Bool
        var name: String
        var expires: String
        var nameError: String?
        var passwordError: String?
        var confirmationError: String?
        var error: String?
        var minimum: Int
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let link = try await openLink(context)
        return try page(request: request, context: context, link: link, name: "", error: nil, status: .ok)
    }

    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        let link = try await openLink(context)
        var request = request
        let fields = QueryString.parameters(String(buffer: try await RequestBodyReader.collect(&request, context: context)))
        let name = fields["name"] ?? ""
        let user: User
        do {
            user = try await links.accept(
                token: token, name: link.purpose == .invite ? name : nil, password: fields["password"] ?? "",
                confirmation: fields["confirmation"] ?? "")
        } catch let error as InputError {
            return try page(request: request, context: context, link: link, name: name, error: error, status: .unprocessableContent)
        }
        if context.session != nil { _ = try? await sessions.delete(request: request) }
        let saved = try await sessions.save(session: UserSession(userID: user.id, createdAt: clock.nowMillis()), expiresIn: sessionIdle)
        var response = Flash.redirect(
            to: "/review",
            notice: link.purpose == .invite ? "Welcome, \(user.name): your account is ready." : "Your new password is set; your other sessions ended."
        )
        response.setCookie(LoginController.browserSessionCookie(saved))
        response.setCookie(Cookie(name: CSRFMiddleware.loginCookie, value: "", maxAge: 0, path: Self.cookiePath, httpOnly: true, sameSite: .strict))
        return response
    }

    private func openLink(_ context: AppRequestContext) async throws -> UserLink {
        guard let link = try await links.open(token: context.parameters.get("token") ?? "") else {
            throw NotFound("that link (it may have been used, revoked or be older than 72 hours: ask for a new one)")
        }
        return link
    }

    private func page(request: Request, context: AppRequestContext, link: UserLink, name: String, error: InputError?, status: HTTPResponse.Status)
        throws -> Response
    {
        // Signed in already (someone opening a link in their own browser): the session's token.
        let token = context.session?.csrfToken ?? request.cookies[CSRFMiddleware.loginCookie]?.value ?? SecureToken.make()
        let model = SetPasswordPage(
            page: PageChrome(title: link.purpose == .invite ? "Join Greenlight" : "Choose a new password", context: context), csrf: token,
            email: link.email, invite: link.purpose == .invite, name: name, expires: DateText.format(link.expiresAt),
            nameError: error?.field == "name" ? error?.message : nil, passwordError: error?.field == "password" ? error?.message : nil,
            confirmationError: error?.field == "confirmation" ? error?.message : nil,
            error: error.flatMap { ["name", "password", "confirmation"].contains($0.field) ? nil : $0.message },
            minimum: Credentials.minimumPasswordLength)
        var response = try views.response("account/set-password", model, status: status)
        response.setCookie(
            Cookie(name: CSRFMiddleware.loginCookie, value: token, path: Self.cookiePath, secure: secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }
}
