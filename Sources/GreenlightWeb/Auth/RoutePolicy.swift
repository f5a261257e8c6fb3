import HTTPTypes
import GreenlightCore
import GreenlightWork

/// Every route the app answers and who may call it — the one table authorization reads
/// (the README's rights table says the same in prose).
enum RoutePolicy {
    /// Who may call a route.
    enum Rule: Equatable {
        /// Anyone, logged in or not.
        case open
        /// Any logged-in user (not an API key).
        case loggedIn
        /// A logged-in user, or an API key, holding this permission.
        case needs(Permission)
        /// An admin's session, or a scraper presenting `GREENLIGHT_METRICS_TOKEN`.
        case metrics
        /// A sequencer's webhook delivery: the client's token in the path is the credential
        /// (``OutcomeHooks``), checked by the handler; no session, no CSRF token.
        case hookToken
    }

    struct Route: Sendable {
        var method: HTTPRequest.Method
        var pattern: String
        var rule: Rule
        /// Whether an API key (rather than a session) may call it.
        var apiKey: Bool = false
        /// The largest body it accepts; larger ones get 413 before a byte is read.
        var bodyLimit: Int = RoutePolicy.defaultBodyLimit
    }

    /// Forms and JSON bodies: 1 MB.
    static let defaultBodyLimit = 1_048_576
    /// A sequencer's webhook delivery: 256 KB.
    static let hookBodyLimit = 256 * 1024
    /// A CSV upload: 20 MB.
    static let uploadBodyLimit = 20 * 1_048_576

    static let routes: [Route] = [
        Route(method: .get, pattern: "/health", rule: .open),
        Route(method: .get, pattern: "/ready", rule: .open),
        Route(method: .get, pattern: "/metrics", rule: .metrics),
        Route(method: .get, pattern: "/login", rule: .open),
        Route(method: .post, pattern: "/login", rule: .open),
        Route(method: .post, pattern: "/logout", rule: .open),
        Route(method: .get, pattern: "/", rule: .loggedIn),
        Route(method: .get, pattern: "/review", rule: .needs(.review)),
        Route(method: .post, pattern: "/review/bulk", rule: .needs(.review)),
        Route(method: .get, pattern: "/review/:id", rule: .needs(.review)),
        Route(method: .post, pattern: "/review/:id/approve", rule: .needs(.review)),
        Route(method: .post, pattern: "/review/:id/edit", rule: .needs(.review)),
        Route(method: .post, pattern: "/review/:id/reject", rule: .needs(.review)),
        Route(method: .post, pattern: "/review/:id/claim", rule: .needs(.review)),
        Route(method: .post, pattern: "/review/:id/release", rule: .needs(.review)),
        Route(method: .post, pattern: "/review/:id/undo", rule: .needs(.review)),
        Route(method: .get, pattern: "/clients", rule: .needs(.viewClients)),
        // Before `/clients/:id`, which would match it too: the first route that matches decides.
        Route(method: .get, pattern: "/clients/new", rule: .needs(.manageClients)),
        Route(method: .post, pattern: "/clients", rule: .needs(.manageClients)),
        Route(method: .post, pattern: "/clients/upload", rule: .needs(.manageClients), bodyLimit: uploadBodyLimit),
        Route(method: .get, pattern: "/clients/:id", rule: .needs(.viewClients)),
        Route(method: .get, pattern: "/clients/:id/edit", rule: .needs(.manageClients)),
        Route(method: .post, pattern: "/clients/:id/edit", rule: .needs(.manageClients)),
        Route(method: .get, pattern: "/clients/:id/templates/new", rule: .needs(.manageClients)),
        Route(method: .post, pattern: "/clients/:id/templates", rule: .needs(.manageClients)),
        Route(method: .get, pattern: "/clients/:id/templates/:template/edit", rule: .needs(.manageClients)),
        Route(method: .post, pattern: "/clients/:id/templates/:template/edit", rule: .needs(.manageClients)),
        Route(method: .post, pattern: "/clients/:id/templates/:template/retire", rule: .needs(.manageClients)),
        Route(method: .post, pattern: "/clients/:id/templates/:template/restore", rule: .needs(.manageClients)),
        Route(method: .post, pattern: "/clients/:id/budgets", rule: .needs(.manageClients)),
        Route(method: .post, pattern: "/clients/:id/archive", rule: .needs(.archiveClients)),
        Route(method: .post, pattern: "/clients/:id/restore", rule: .needs(.archiveClients)),
        Route(method: .post, pattern: "/clients/:id/keys", rule: .needs(.manageClients)),
        Route(method: .post, pattern: "/clients/:id/keys/:key/revoke", rule: .needs(.manageClients)),
        Route(method: .post, pattern: "/clients/:id/suppressions", rule: .needs(.manageClients)),
        Route(method: .post, pattern: "/clients/:id/suppressions/:entry/remove", rule: .needs(.manageClients)),
        Route(method: .get, pattern: "/team", rule: .needs(.manageTeam)),
        Route(method: .post, pattern: "/team/invitations", rule: .needs(.manageTeam)),
        Route(method: .post, pattern: "/team/invitations/:id/resend", rule: .needs(.manageTeam)),
        Route(method: .post, pattern: "/team/invitations/:id/revoke", rule: .needs(.manageTeam)),
        Route(method: .get, pattern: "/team/users/:id", rule: .needs(.manageTeam)),
        Route(method: .post, pattern: "/team/users/:id", rule: .needs(.manageTeam)),
        Route(method: .post, pattern: "/team/users/:id/deactivate", rule: .needs(.manageTeam)),
        Route(method: .post, pattern: "/team/users/:id/reactivate", rule: .needs(.manageTeam)),
        Route(method: .post, pattern: "/team/users/:id/reset", rule: .needs(.manageTeam)),
        Route(method: .get, pattern: "/account", rule: .loggedIn),
        Route(method: .post, pattern: "/account/password", rule: .loggedIn),
        Route(method: .post, pattern: "/account/sessions/end", rule: .loggedIn),
        // A one-time link's page: the token in the path is the credential (``UserLinks``).
        Route(method: .get, pattern: "/set-password/:token", rule: .open),
        Route(method: .post, pattern: "/set-password/:token", rule: .open),
        Route(method: .post, pattern: "/hooks/instantly/:token", rule: .hookToken, bodyLimit: hookBodyLimit),
        Route(method: .post, pattern: "/hooks/smartlead/:token", rule: .hookToken, bodyLimit: hookBodyLimit),
        Route(method: .get, pattern: "/import", rule: .needs(.importContacts)),
        Route(method: .post, pattern: "/import", rule: .needs(.importContacts), bodyLimit: uploadBodyLimit),
        Route(method: .get, pattern: "/batches/:id", rule: .needs(.importContacts)),
        Route(method: .get, pattern: "/audit", rule: .needs(.viewAudit)),
        Route(method: .get, pattern: "/bench/ceiling", rule: .needs(.review)),
        Route(method: .get, pattern: "/dashboard", rule: .needs(.review)),
        Route(method: .get, pattern: "/dashboard/csv", rule: .needs(.review)),
        Route(method: .get, pattern: "/dashboard/chart", rule: .needs(.review)),
        Route(method: .get, pattern: "/rollout", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/rollout/pause", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/rollout/resume", rule: .needs(.manageRollout)),
        Route(method: .get, pattern: "/clients/:id/rollout", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/clients/:id/rollout/phase", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/clients/:id/rollout/settings", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/clients/:id/rollout/pause", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/clients/:id/rollout/resume", rule: .needs(.manageRollout)),
        Route(method: .get, pattern: "/clients/:id/prompts", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/clients/:id/prompts/experiment", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/clients/:id/prompts/experiment/end", rule: .needs(.manageRollout)),
        Route(method: .get, pattern: "/clients/:id/export", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/clients/:id/export/settings", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/clients/:id/export/connection", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/clients/:id/export/connection/remove", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/clients/:id/export/run", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/clients/:id/export/activate", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/clients/:id/export/csv", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/clients/:id/export/webhook", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/clients/:id/export/webhook/resume", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/clients/:id/export/outcomes", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/clients/:id/export/outcomes/upload", rule: .needs(.manageRollout), bodyLimit: uploadBodyLimit),
        Route(method: .get, pattern: "/exports/:id/csv", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/exports/:id/confirm", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/exports/:id/cancel", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/exports/:id/abandon", rule: .needs(.manageRollout)),
        Route(method: .post, pattern: "/exports/:id/emails/:email/remove", rule: .needs(.manageRollout)),
        Route(method: .get, pattern: "/api/v1/emails", rule: .needs(.review), apiKey: true),
        Route(method: .get, pattern: "/api/v1/emails/:id", rule: .needs(.review), apiKey: true),
        Route(method: .post, pattern: "/api/v1/emails/:id/approve", rule: .needs(.review), apiKey: true),
        Route(method: .post, pattern: "/api/v1/emails/:id/edit", rule: .needs(.review), apiKey: true),
        Route(method: .post, pattern: "/api/v1/emails/:id/reject", rule: .needs(.review), apiKey: true),
        Route(method: .get, pattern: "/api/v1/analytics", rule: .needs(.review), apiKey: true),
        Route(method: .get, pattern: "/api/v1/outcomes", rule: .needs(.review), apiKey: true),
        Route(method: .get, pattern: "/api/v1/clients/:client/rollout", rule: .needs(.manageRollout), apiKey: true),
        Route(method: .put, pattern: "/api/v1/clients/:client/rollout", rule: .needs(.manageRollout), apiKey: true),
        Route(method: .post, pattern: "/api/v1/campaigns/generate", rule: .needs(.importContacts), apiKey: true, bodyLimit: uploadBodyLimit),
        Route(method: .get, pattern: "/api/v1/campaigns/:id", rule: .needs(.importContacts), apiKey: true),
        Route(method: .get, pattern: "/api/v1/exports", rule: .needs(.manageRollout), apiKey: true),
        Route(method: .post, pattern: "/api/v1/exports", rule: .needs(.manageRollout), apiKey: true),
        Route(method: .get, pattern: "/api/v1/exports/:id", rule: .needs(.manageRollout), apiKey: true),
        Route(method: .delete, pattern: "/api/v1/exports/:id/emails/:email", rule: .needs(.manageRollout), apiKey: true),
    ]

    /// The route a request matches, segment by segment as the router matches it (empty segments
    /// dropped, so `//login` and `/login/` are `/login`); `nil` when none does.
    static func route(method: HTTPRequest.Method, path: String) -> Route? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        return routes.first { route in
            guard route.method == method || (method == .head && route.method == .get) else { return false }
            let pattern = route.pattern.split(separator: "/", omittingEmptySubsequences: true)
            guard pattern.count == segments.count else { return false }
            return zip(pattern, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
        }
    }

    /// Fails unless every route the router registered has a rule here (checked when the app is built,
    /// so a handler without a rule never serves a request).
    static func checkCovers(_ registered: [(method: HTTPRequest.Method, path: String)]) throws(ConfigurationError) {
        let missing = registered.filter { route in
            !routes.contains { $0.method == route.method && Self.sameShape($0.pattern, route.path) }
        }
        guard missing.isEmpty else {
            throw ConfigurationError(
                "routes without an access rule in RoutePolicy: " + missing.map { "\($0.method) \($0.path)" }.joined(separator: ", "))
        }
    }

    /// Whether two route patterns match the same paths (`:id` and `{id}` are both captures).
    static func sameShape(_ a: String, _ b: String) -> Bool {
        let left = a.split(separator: "/"), right = b.split(separator: "/")
        guard left.count == right.count else { return false }
        return zip(left, right).allSatisfy { x, y in
            let captureX = x.hasPrefix(":") || x.hasPrefix("{"), captureY = y.hasPrefix(":") || y.hasPrefix("{")
            return captureX == captureY && (captureX || x == y)
        }
    }
}
