import Foundation
import Hummingbird
import GreenlightCore
import GreenlightWork

/// The team page (managers and admins): the users they may manage, invitations by one-time link,
/// and each user's page (role, clients, deactivation, password reset). The limits are
/// ``TeamActor``'s; every change goes through ``TeamDirectory`` or ``UserLinks``, as audited there.
struct TeamController {
    let views: ViewRenderer
    let database: Database
    let links: UserLinks
    let clock: TimeSource
    /// Whether links are https (the app runs behind TLS: secure cookies).
    let secure: Bool
    /// `GREENLIGHT_PUBLIC_URL`, for the links (else the request's host).
    var publicURL: String? = nil

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/team", use: list)
        router.post("/team/invitations", use: invite)
        router.post("/team/invitations/:id/resend", use: resend)
        router.post("/team/invitations/:id/revoke", use: revoke)
        router.get("/team/users/:id", use: show)
        router.post("/team/users/:id", use: change)
        router.post("/team/users/:id/deactivate", use: deactivate)
        router.post("/team/users/:id/reactivate", use: reactivate)
        router.post("/team/users/:id/reset", use: reset)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await teamPage(context: context, request: request)
    }

    @Sendable func invite(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try Self.actor(context)
        var request = request
        let fields = QueryString.parameters(String(buffer: try await RequestBodyReader.collect(&request, context: context)))
        let email = (fields["email"] ?? "").trimmedWhitespace()
        let role = Role(rawValue: fields["role"] ?? "")
        let clients = TeamPage.checkedClients(fields)
        do {
            guard let role else { throw InputError(field: "role", "choose a role: \(actor.grantableRoles.map(\.rawValue).joined(separator: ", "))") }
            let made = try await links.invite(email: email, role: role, clients: clients, by: actor)
            return try await teamPage(
                context: context, request: request, notice: "Invitation made for \(made.link.email): copy the link below to them.",
                link: madeLink(made, request: request))
        } catch let error as InputError {
            let form = try await inviteForm(actor, email: email, role: role ?? .sdr, clients: clients, error: error)
            return try await teamPage(context: context, request: request, form: form, status: .unprocessableContent)
        }
    }

    @Sendable func resend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try Self.actor(context)
        do {
            let made = try await links.resend(linkID: try Self.id(context), by: actor)
            return try await teamPage(
                context: context, request: request, notice: "New invitation link for \(made.link.email); the old one no longer works.",
                link: madeLink(made, request: request))
        } catch let error as InputError {
            return try await teamPage(context: context, request: request, notice: error.message, isError: true, status: .unprocessableContent)
        }
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        let link = try await links.revoke(linkID: try Self.id(context), by: try Self.actor(context))
        return Flash.redirect(to: "/team", notice: "The invitation of \(link.email) is revoked: its link no longer works.")
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await memberPage(context: context, request: request, id: try Self.id(context))
    }

    @Sendable func change(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try Self.actor(context)
        let id = try Self.id(context)
        var request = request
        let fields = QueryString.parameters(String(buffer: try await RequestBodyReader.collect(&request, context: context)))
        let role = Role(rawValue: fields["role"] ?? "")
        let clients = TeamPage.checkedClients(fields)
        do {
            guard let role else { throw InputError(field: "role", "choose a role: \(actor.grantableRoles.map(\.rawValue).joined(separator: ", "))") }
            let member = try await TeamDirectory(database: database, clock: clock).change(memberID: id, role: role, clients: clients, by: actor)
            return Flash.redirect(
                to: "/team/users/\(id)",
                notice: "\(member.name) is now \(member.role.rawValue); their sessions ended, so their next page has the new rights.")
        } catch let error as InputError {
            return try await memberPage(
                context: context, request: request, id: id, typed: (role ?? .sdr, clients), error: error, status: .unprocessableContent)
        }
    }

    @Sendable func deactivate(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await setActive(false, request, context)
    }

    @Sendable func reactivate(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await setActive(true, request, context)
    }

    private func setActive(_ active: Bool, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context)
        do {
            let member = try await TeamDirectory(database: database, clock: clock).setActive(active, memberID: id, by: try Self.actor(context))
            return Flash.redirect(
                to: "/team/users/\(id)",
                notice: active
                    ? "\(member.name) may sign in again." : "\(member.name) is deactivated: signed out, and cannot sign in. Their history stays.")
        } catch let error as InputError {
            return try await memberPage(context: context, request: request, id: id, error: error, status: .unprocessableContent)
        }
    }

    @Sendable func reset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context)
        do {
            let made = try await links.reset(memberID: id, by: try Self.actor(context))
            return try await memberPage(
                context: context, request: request, id: id, notice: "Password reset link made for \(made.link.email): copy it to them.",
                link: madeLink(made, request: request))
        } catch let error as InputError {
            return try await memberPage(context: context, request: request, id: id, error: error, status: .unprocessableContent)
        }
    }

    // MARK: - Pages

    private func teamPage(
        context: AppRequestContext, request: Request, form: TeamPage.InviteForm? = nil, notice: String? = nil, isError: Bool = false,
        link: TeamPage.MadeLink? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try Self.actor(context)
        let now = clock.nowMillis()
        let names = try await database.read { sql in try await TeamDirectory.clientNames(sql) }
        let members = try await TeamDirectory(database: database, clock: clock).members(visibleTo: actor).map {
            TeamPage.member($0, names: names, selfID: actor.user.id)
        }
        let invitations = try await links.invitations(visibleTo: actor).map { TeamPage.invitation($0, names: names, now: now) }
        let flash = notice ?? Flash.read(request)
        let shownForm: TeamPage.InviteForm
        if let form { shownForm = form } else { shownForm = try await inviteForm(actor, email: "", role: .sdr, clients: [], error: nil) }
        let model = TeamPage(
            page: PageChrome(title: "Team", context: context, notice: flash, noticeIsError: isError, section: .init(team: true)),
            csrf: context.session?.csrfToken ?? "", members: members, invitations: invitations, hasInvitations: !invitations.isEmpty,
            form: shownForm, link: link)
        return Flash.clearing(try views.response("team/index", model, status: status), request)
    }

    private func inviteForm(_ actor: TeamActor, email: String, role: Role, clients: [Int], error: InputError?) async throws -> TeamPage.InviteForm {
        let names = try await ClientRepository(database: database).names(ids: actor.clientIDs)
        return TeamPage.InviteForm(
            email: email, roles: TeamPage.roles(actor, selected: role), clients: TeamPage.clients(names, checked: clients),
            emailError: error?.field == "email" ? error?.message : nil, roleError: error?.field == "role" ? error?.message : nil,
            clientsError: error?.field == "clients" ? error?.message : nil)
    }

    /// A user's page: who they are, the role and clients form, deactivation, a password reset link.
    struct MemberPage {
        var page: PageChrome
        var csrf: String
        var member: TeamPage.Member
        var roles: [TeamPage.Option]
        var clients: [TeamPage.ClientChoice]
        var hiddenClients: String?
        var roleError: String?
        var clientsError: String?
        var error: String?
        var link: TeamPage.MadeLink?
    }

    private func memberPage(
        context: AppRequestContext, request: Request, id: Int, typed: (Role, [Int])? = nil, error: InputError? = nil, notice: String? = nil,
        link: TeamPage.MadeLink? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try Self.actor(context)
        let member = try await TeamDirectory(database: database, clock: clock).member(id: id, visibleTo: actor)
        let names = try await database.read { sql in try await TeamDirectory.clientNames(sql) }
        let visible = try await ClientRepository(database: database).names(ids: actor.clientIDs)
        let hidden = member.clientIDs.filter { !actor.sees(clientID: $0) }
        let (role, clients) = typed ?? (member.role, member.clientIDs)
        let fieldError = error.flatMap { ["role", "clients"].contains($0.field) ? nil : $0.message }
        let model = MemberPage(
            page: PageChrome(
                title: member.name, context: context, notice: notice ?? Flash.read(request), section: .init(team: true)),
            csrf: context.session?.csrfToken ?? "", member: TeamPage.member(member, names: names, selfID: actor.user.id),
            roles: TeamPage.roles(actor, selected: role), clients: TeamPage.clients(visible, checked: clients),
            hiddenClients: hidden.isEmpty
                ? nil : "Also works on \(hidden.count) client\(hidden.count == 1 ? "" : "s") you do not see; saving keeps them.",
            roleError: error?.field == "role" ? error?.message : nil, clientsError: error?.field == "clients" ? error?.message : nil,
            error: fieldError, link: link)
        return Flash.clearing(try views.response("team/member", model, status: status), request)
    }

    private func madeLink(_ made: UserLinks.Made, request: Request) -> TeamPage.MadeLink {
        let base = PublicURL.base(configured: publicURL, host: request.head.authority, secure: secure)
        return TeamPage.MadeLink(
            email: made.link.email, url: "\(base)/set-password/\(made.token)",
            what: made.link.purpose == .invite ? "invitation" : "password reset link", expires: DateText.format(made.link.expiresAt))
    }

    static func actor(_ context: AppRequestContext) throws -> TeamActor {
        TeamActor(user: try context.requireUser(), clientIDs: context.assignedClientIDs)
    }

    static func id(_ context: AppRequestContext) throws -> Int {
        guard let text = context.parameters.get("id"), let id = Int(text) else { throw NotFound("that user") }
        return id
    }
}
