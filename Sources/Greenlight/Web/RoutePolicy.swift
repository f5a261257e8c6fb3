import HTTPTypes

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
    }

    struct Route {
        var method: HTTPRequest.Method
        var pattern: String
        var rule: Rule
        /// Whether an API key (rather than a session) may call it.
        var apiKey: Bool = false
    }

    static let routes: [Route] = [
        Route(method: .get, pattern: "/health", rule: .open),
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
        Route(method: .post, pattern: "/review/:id/undo", rule: .needs(.undo)),
        Route(method: .get, pattern: "/clients", rule: .needs(.viewClients)),
        Route(method: .get, pattern: "/clients/:id", rule: .needs(.viewClients)),
        Route(method: .get, pattern: "/import", rule: .needs(.importContacts)),
        Route(method: .post, pattern: "/import", rule: .needs(.importContacts)),
        Route(method: .get, pattern: "/batches/:id", rule: .needs(.importContacts)),
        Route(method: .get, pattern: "/audit", rule: .needs(.viewAudit)),
        Route(method: .get, pattern: "/bench/ceiling", rule: .needs(.review)),
        Route(method: .get, pattern: "/api/v1/emails", rule: .needs(.review), apiKey: true),
        Route(method: .get, pattern: "/api/v1/emails/:id", rule: .needs(.review), apiKey: true),
        Route(method: .post, pattern: "/api/v1/emails/:id/approve", rule: .needs(.review), apiKey: true),
        Route(method: .post, pattern: "/api/v1/emails/:id/edit", rule: .needs(.review), apiKey: true),
        Route(method: .post, pattern: "/api/v1/emails/:id/reject", rule: .needs(.review), apiKey: true),
    ]

    /// What an API key may do: review its own client's emails through the API.
    static let apiKeyPermissions: Set<Permission> = [.review]

    /// The rule for a request; a path no route matches needs a login (so nothing is open by omission).
    static func route(method: HTTPRequest.Method, path: String) -> Route? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        return routes.first { route in
            guard route.method == method || (method == .head && route.method == .get) else { return false }
            let pattern = route.pattern.split(separator: "/", omittingEmptySubsequences: true)
            guard pattern.count == segments.count else { return false }
            return zip(pattern, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
        }
    }
}
