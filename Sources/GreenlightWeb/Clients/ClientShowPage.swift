import Foundation
import Hummingbird
import GreenlightCore
import GreenlightWork
import GreenlightEmails

/// A client's page: its context pack and templates for everyone who works on it; model spend and
/// budgets, and its API keys, for its managers — with the budget form as typed and a message beside
/// the wrong field, or a key just made, shown this once.
struct ClientShowPage {
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
        /// When it was retired; nil while in use.
        var retired: String?
    }

    struct SpendRow {
        var day: String
        var calls: Int
        var tokens: Int
        var cost: String
    }

    /// A key's row: never the key, only its name, role, last four characters and dates.
    struct KeyRow {
        var id: Int
        var name: String
        var role: String
        var ending: String
        var created: String
        var lastUsed: String
        var revoked: String?
    }

    /// The key just made, in clear, this once.
    struct NewKey {
        var name: String
        var key: String
    }

    /// The budget form.
    struct BudgetForm {
        var hourly: String
        var daily: String
        var hourlyError: String?
        var dailyError: String?
    }

    /// The API key form.
    struct KeyForm {
        var name: String
        var roles: [TeamPage.Option]
        var nameError: String?
        var roleError: String?
    }

    var page: PageChrome
    var csrf: String
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
    /// Whether the viewer manages this client (budgets, keys).
    var canManage: Bool
    var budgetForm: BudgetForm?
    var keys: [KeyRow]
    var hasKeys: Bool
    var keyForm: KeyForm?
    var newKey: NewKey?
    /// Admins archive a client.
    var canArchive: Bool
    /// The suppression list (everyone who sees the client), with its forms for managers.
    var suppressions: [SuppressionRow]
    var hasSuppressions: Bool
    var suppressionCount: Int
    var suppressionForm: SuppressionForm?

    /// An entry of the suppression list.
    struct SuppressionRow {
        var id: Int
        var address: String
        var kind: String
        var why: String
        var source: String
        var note: String
    }

    /// The form that marks an address or a domain do-not-contact, as typed.
    struct SuppressionForm {
        var address: String
        var note: String
        var addressError: String?
    }

    /// What a form sent back, and what was wrong with it.
    struct Typed {
        var budgets: (hourly: String, daily: String)?
        var keyName: String?
        var keyRole: APIKeyRepository.KeyRole?
        var error: InputError?
        var newKey: NewKey?
        var suppression: (address: String, note: String)?
    }

    static func make(client: ClientRecord, database: Database, context: AppRequestContext, notice: String?, typed: Typed = Typed()) async throws
        -> ClientShowPage
    {
        let templates = try await TemplateRepository(database: database).all(clientID: client.id).map { record in
            let template = record.template
            return TemplateView(
                id: record.id, name: template.name, strategy: template.strategy.rawValue, subject: template.subject, body: template.body,
                minWords: template.minWords, maxWords: template.maxWords, variables: template.variables.joined(separator: ", "),
                followUps: template.followUps, hasFollowUps: !template.followUps.isEmpty, retired: record.retiredAt.map(DateText.format))
        }
        let ledger = SpendLedger(database: database)
        let spend = try await ledger.daily(clientID: client.id).map { SpendRow(day: $0.day, calls: $0.calls, tokens: $0.tokens, cost: $0.cost) }
        let budgets = try await ledger.budgets(clientID: client.id)
        let canManage = context.user?.role.permissions.contains(.manageClients) ?? false
        let keys =
            canManage
            ? try await APIKeyRepository(database: database).list(clientID: client.id).map { key in
                KeyRow(
                    id: key.id, name: key.name, role: key.role.rawValue, ending: "…" + (key.lastFour ?? String(key.prefix.suffix(4))),
                    created: DateText.format(key.createdAt), lastUsed: key.lastUsedAt.map(DateText.format) ?? "never",
                    revoked: key.revokedAt.map(DateText.format))
            } : []
        func amount(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "" }
        let error = typed.error
        let budgetForm = BudgetForm(
            hourly: typed.budgets?.hourly ?? amount(budgets.hourly), daily: typed.budgets?.daily ?? amount(budgets.daily),
            hourlyError: error?.field == "hourly" ? error?.message : nil, dailyError: error?.field == "daily" ? error?.message : nil)
        let keyRole = typed.keyRole ?? .reviewer
        let keyForm = KeyForm(
            name: typed.keyName ?? "",
            roles: APIKeyRepository.KeyRole.allCases.map { TeamPage.Option(value: $0.rawValue, label: $0.label, selected: $0 == keyRole) },
            nameError: error?.field == "name" ? error?.message : nil, roleError: error?.field == "role" ? error?.message : nil)
        let suppressionList = SuppressionList(database: database)
        let suppressions = try await suppressionList.list(clientID: client.id, limit: 200).map { entry in
            SuppressionRow(
                id: entry.id, address: entry.address, kind: entry.kind == .domain ? "domain" : "address", why: entry.sentence,
                source: entry.source == "manager" ? "by \(entry.createdBy ?? "a manager")" : "from the sequencer (\(entry.source))", note: entry.note)
        }
        let suppressionForm = SuppressionForm(
            address: typed.suppression?.address ?? "", note: typed.suppression?.note ?? "",
            addressError: error?.field == "address" ? error?.message : nil)
        return ClientShowPage(
            page: PageChrome(title: client.name, context: context, notice: notice, section: .init(clients: true)),
            csrf: context.session?.csrfToken ?? "", client: client,
            personas: client.pack.personas, painPoints: client.pack.painPoints, competitors: client.pack.competitors,
            caseStudies: client.pack.caseStudies, templates: templates, hasTemplates: !templates.isEmpty,
            phase: client.phase.rawValue, pci: client.pack.pci, spend: spend, hasSpend: !spend.isEmpty,
            budgets: "Budget: \(budgets.text).", canManage: canManage, budgetForm: canManage ? budgetForm : nil, keys: keys, hasKeys: !keys.isEmpty,
            keyForm: canManage ? keyForm : nil, newKey: typed.newKey,
            canArchive: context.user?.role.permissions.contains(.archiveClients) ?? false,
            suppressions: suppressions, hasSuppressions: !suppressions.isEmpty,
            suppressionCount: try await suppressionList.count(clientID: client.id),
            suppressionForm: canManage ? suppressionForm : nil)
    }
}

extension APIKeyRepository.KeyRole {
    /// What a key of this role may do, for a menu.
    var label: String {
        switch self {
        case .reviewer: "reviewer — list and decide this client's emails"
        case .manager: "manager — also drafting jobs, rollout and exports"
        }
    }
}
