import Foundation

/// Removes a webhook URL, and the token-bearing parts of it, from text that will be logged or
/// returned: an error from the HTTP client or an answer's body may echo what was requested.
struct WebhookRedactor: Sendable {
    static let placeholder = "<webhook>"

    /// What must not appear, longest first so the whole URL goes before its parts.
    private let secrets: [String]

    init(webhookURL: String, url: URL) {
        var secrets = [webhookURL]
        let path = url.path
        if path.count > 1 { secrets.append(path) }
        if let query = url.query, !query.isEmpty { secrets.append(query) }
        if let components = URLComponents(string: webhookURL) {
            let encodedPath = components.percentEncodedPath
            if encodedPath.count > 1 { secrets.append(encodedPath) }
        }
        self.secrets = Array(Set(secrets)).sorted { $0.count > $1.count }
    }

    func redact(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: Self.placeholder) }
    }
}
