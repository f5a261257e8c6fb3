import Foundation
import Hummingbird
import GreenlightCore
import GreenlightWork
import GreenlightEmails

/// Read-only pages of clients, their context packs and templates.
struct ClientController {
    let views: ViewRenderer
    let database: Database

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/clients", use: list)
        router.get("/clients/:id", use: show)
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
    }

    struct ShowPage {
        struct TemplateView {
            var id: Int
            var name: String
            var strategy: String
            var subject: String
            var body: String
            var minWords: Int
            var maxWords: Int
            var variables: String
            var followUps: [EmailTemplate.FollowUp]
            var hasFollowUps: Bool
        }

        var page: PageChrome
        var client: ClientRecord
        var personas: [ContextPack.Persona]
        var painPoints: [ContextPack.PainPoint]
        var competitors: [ContextPack.Competitor]
        var caseStudies: [ContextPack.CaseStudy]
        var templates: [TemplateView]
        var hasTemplates: Bool
        var phase: String
        var pci: String
        /// Model spend per day (last 7), and the budgets, in words.
        var spend: [SpendRow]
        var hasSpend: Bool
        var budgets: String

        struct SpendRow {
            var day: String
            var calls: Int
            var tokens: Int
            var cost: String
        }
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
        return try views.response(
            "clients/list",
            ListPage(page: PageChrome(title: "Clients", context: context, section: .init(clients: true)), clients: rows, hasClients: !rows.isEmpty))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireUser()
        guard let text = context.parameters.get("id"), let id = Int(text),
            let client = try await ClientRepository(database: database).find(id: id),
            context.visibleClientIDs?.contains(id) ?? true
        else { throw NotFound("that client") }
        let templates = try await TemplateRepository(database: database).all(clientID: id).map { record in
            let template = record.template
            return ShowPage.TemplateView(
                id: record.id, name: template.name, strategy: template.strategy.rawValue, subject: template.subject, body: template.body,
                minWords: template.minWords, maxWords: template.maxWords, variables: template.variables.joined(separator: ", "),
                followUps: template.followUps, hasFollowUps: !template.followUps.isEmpty)
        }
        let ledger = SpendLedger(database: database)
        let spend = try await ledger.daily(clientID: id).map { ShowPage.SpendRow(day: $0.day, calls: $0.calls, tokens: $0.tokens, cost: $0.cost) }
        let budgets = try await ledger.budgets(clientID: id)
        func dollars(_ value: Double?) -> String { value.map { String(format: "$%.2f", $0) } ?? "no limit" }
        let model = ShowPage(
            page: PageChrome(title: client.name, context: context, section: .init(clients: true)), client: client,
            personas: client.pack.personas, painPoints: client.pack.painPoints, competitors: client.pack.competitors,
            caseStudies: client.pack.caseStudies, templates: templates, hasTemplates: !templates.isEmpty,
            phase: client.phase.rawValue, pci: client.pack.pci, spend: spend, hasSpend: !spend.isEmpty,
            budgets: "Budget: \(dollars(budgets.hourly)) an hour, \(dollars(budgets.daily)) a day (greenlight model budget).")
        return try views.response("clients/show", model)
    }
}
