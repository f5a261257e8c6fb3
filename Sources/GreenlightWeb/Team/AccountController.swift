import Foundation
import Hummingbird
import HummingbirdAuth
import GreenlightCore
import GreenlightWork

/// A user's own account: change the password (the current one required; the other sessions end) and
/// sign out every other session.
struct AccountController {
    let views: ViewRenderer
    let users: UserRepository
    let sessions: SessionStorage<UserSession>

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/account", use: show)
        router.post("/account/password", use: changePassword)
        router.post("/account/sessions/end", use: endOthers)
    }

    struct AccountPage {
        var page: PageChrome
        var csrf: String
        var email: String
        var role: String
        var otherSessions: Int
        var hasOtherSessions: Bool
        var currentError: String?
        var passwordError: String?
        var confirmationError: String?
        var minimum: Int
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await page(request: request, context: context, error: nil, status: .ok)
    }

    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let fields = QueryString.parameters(String(buffer: try await RequestBodyReader.collect(&request, context: context)))
        do {
            try await users.changePassword(
                userID: user.id, current: fields["current"] ?? "", new: fields["password"] ?? "", confirmation: fields["confirmation"] ?? "",
                keepingSession: currentSession(request))
        } catch let error as InputError {
            return try await page(request: request, context: context, error: error, status: .unprocessableContent)
        }
        return Flash.redirect(to: "/account", notice: "Your password is changed; your other sessions ended.")
    }

    @Sendable func endOthers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let ended = try await users.endOtherSessions(userID: user.id, keepingSession: currentSession(request))
        return Flash.redirect(to: "/account", notice: "Signed out of \(ended) other session\(ended == 1 ? "" : "s"); this one stays.")
    }

    /// The stored key hash of the session making this request.
    private func currentSession(_ request: Request) -> String {
        SecureToken.sha256(SQLPersistDriver.sessionKeyPrefix + (sessions.getId(request: request) ?? ""))
    }

    private func page(request: Request, context: AppRequestContext, error: InputError?, status: HTTPResponse.Status) async throws -> Response {
        let user = try context.requireUser()
        let others = try await users.otherSessions(userID: user.id, keepingSession: currentSession(request))
        let model = AccountPage(
            page: PageChrome(title: "Your account", context: context, notice: Flash.read(request), section: .init(account: true)),
            csrf: context.session?.csrfToken ?? "", email: user.email, role: user.role.rawValue, otherSessions: others, hasOtherSessions: others > 0,
            currentError: error?.field == "current" ? error?.message : nil, passwordError: error?.field == "password" ? error?.message : nil,
            confirmationError: error?.field == "confirmation" ? error?.message : nil, minimum: Credentials.minimumPasswordLength)
        return Flash.clearing(try views.response("account/show", model, status: status), request)
    }
}
