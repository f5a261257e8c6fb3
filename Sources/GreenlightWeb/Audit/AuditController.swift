import Hummingbird
import GreenlightCore
import GreenlightWork

/// The audit log page (admins).
struct AuditController {
    let views: ViewRenderer
    let database: Database

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/audit", use: list)
    }

    struct AuditPage {
        struct Row {
            var at: String
            var actor: String
            var action: String
            var target: String
            var details: String
        }

        var page: PageChrome
        var entries: [Row]
        var hasEntries: Bool
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let entries = try await AuditLog(database: database).recent().map {
            AuditPage.Row(at: DateText.format($0.createdAt), actor: $0.actor, action: $0.action, target: $0.target, details: $0.details)
        }
        return try views.response(
            "audit", AuditPage(page: PageChrome(title: "Audit log", context: context), entries: entries, hasEntries: !entries.isEmpty))
    }
}
