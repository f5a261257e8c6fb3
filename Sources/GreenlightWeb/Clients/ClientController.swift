import Foundation
import Hummingbird
import GreenlightCore
import GreenlightWork
import GreenlightEmails

/// The clients list and each client's page; for the client's managers, its model budgets and API keys
/// (made, listed, revoked through ``APIKeyRepository`` and ``SpendLedger``, as `greenlight apikey`
/// and `greenlight model budget` do).
struct ClientController {
    let views: ViewRenderer
    let database: Database
    let clock: TimeSource

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/clients", use: list)
        router.get("/clients/:id", use: show)
        router.post("/clients/:id/budgets", use: saveBudgets)
        router.post("/clients/:id/keys", use: createKey)
        router.post("/clients/:id/keys/:key/revoke", use: revokeKey)
        router.post("/clients/:id/archive", use: archive)
        router.post("/clients/:id/restore", use: restore)
    }

    struct ListPage {
        struct Row {
            var id: Int
            var name: String
            var phase: String
            var website: String
            var templateCount: Int
        }

        var page: PageChrome
        var clients: [Row]
        var hasClients: Bool
        /// Managers and admins create clients.
        var canCreate: Bool
        /// Admins: the archived clients, to restore.
        var archived: [Row]
        var hasArchived: Bool
        var csrf: String
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireUser()
        let clients = try await ClientRepository(database: database).all(ids: context.visibleClientIDs)
        let templates = try await TemplateRepository(database: database).all()
        let rows = clients.map { client in
            ListPage.Row(
                id: client.id, name: client.name, phase: client.phase.rawValue, website: client.website,
                templateCount: templates.filter { $0.clientID == client.id }.count)
        }
        let archived =
            context.user?.role.permissions.contains(.archiveClients) == true
            ? try await ClientRepository(database: database).archived().map {
                ListPage.Row(id: $0.id, name: $0.name, phase: $0.phase.rawValue, website: $0.website, templateCount: 0)
            } : []
        return Flash.clearing(
            try views.response(
                "clients/list",
                ListPage(
                    page: PageChrome(title: "Clients", context: context, notice: Flash.read(request), section: .init(clients: true)), clients: rows,
                    hasClients: !rows.isEmpty, canCreate: context.user?.role.permissions.contains(.manageClients) ?? false, archived: archived,
                    hasArchived: !archived.isEmpty, csrf: context.session?.csrfToken ?? "")), request)
    }

    /// Archives a client (admins): see ``ClientRepository/setArchived(_:id:by:)``.
    @Sendable func archive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let client = try await client(context)
        try await ClientRepository(database: database, clock: clock).setArchived(true, id: client.id, by: user.id)
        return Flash.redirect(
            to: "/clients", notice: "\(client.name) is archived: out of every list, queue and export, its API keys stopped; its data is kept.")
    }

    /// Restores an archived client (admins; an archived client is in no one's list, so it is found by id).
    @Sendable func restore(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        guard let text = context.parameters.get("id"), let id = Int(text) else { throw NotFound("that client") }
        let client = try await ClientRepository(database: database, clock: clock).setArchived(false, id: id, by: user.id)
        return Flash.redirect(to: "/clients/\(client.id)", notice: "\(client.name) is back: in lists, queues and exports again.")
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let client = try await client(context)
        let model = try await ClientShowPage.make(client: client, database: database, context: context, notice: Flash.read(request))
        return Flash.clearing(try views.response("clients/show", model), request)
    }

    @Sendable func saveBudgets(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let client = try await client(context)
        var request = request
        let fields = QueryString.parameters(String(buffer: try await RequestBodyReader.collect(&request, context: context)))
        let hourly = fields["hourly"] ?? "", daily = fields["daily"] ?? ""
        do {
            let budgets = try await SpendLedger(database: database).changeBudgets(
                hourly: hourly, daily: daily, clientID: client.id, by: user.id, now: clock.nowMillis())
            return Flash.redirect(to: "/clients/\(client.id)#spend-title", notice: "Model budget of \(client.name): \(budgets.text).")
        } catch let error as InputError {
            return try await page(client, context, typed: .init(budgets: (hourly, daily), error: error), status: .unprocessableContent)
        }
    }

    @Sendable func createKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let client = try await client(context)
        var request = request
        let fields = QueryString.parameters(String(buffer: try await RequestBodyReader.collect(&request, context: context)))
        let name = fields["name"] ?? ""
        let role = APIKeyRepository.KeyRole(rawValue: fields["role"] ?? "")
        do {
            guard let role else { throw InputError(field: "role", "choose the key's role: reviewer or manager") }
            let key = try await APIKeyRepository(database: database, clock: clock).create(clientID: client.id, name: name, role: role, by: user.id)
            let shown = try APIKeyRepository.checkName(name)
            return try await page(
                client, context, notice: "API key \"\(shown)\" made: copy it now, it is not shown again.",
                typed: .init(newKey: .init(name: shown, key: key)), status: .created)
        } catch let error as InputError {
            return try await page(client, context, typed: .init(keyName: name, keyRole: role, error: error), status: .unprocessableContent)
        }
    }

    @Sendable func revokeKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let client = try await client(context)
        guard let text = context.parameters.get("key"), let keyID = Int(text),
            try await APIKeyRepository(database: database, clock: clock).revoke(keyID: keyID, clientID: client.id, by: user.id)
        else { throw NotFound("that API key") }
        return Flash.redirect(to: "/clients/\(client.id)#keys-title", notice: "API key revoked: it stops working now.")
    }

    private func page(
        _ client: ClientRecord, _ context: AppRequestContext, notice: String? = nil, typed: ClientShowPage.Typed, status: HTTPResponse.Status
    ) async throws -> Response {
        let model = try await ClientShowPage.make(client: client, database: database, context: context, notice: notice, typed: typed)
        return try views.response("clients/show", model, status: status)
    }

    private func client(_ context: AppRequestContext) async throws -> ClientRecord {
        _ = try context.requireUser()
        return try await context.visibleClient(in: database)
    }
}
