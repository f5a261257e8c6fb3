import Foundation

extension QueueFilter {
    /// Reads the filter from a URL query string (`client=3&q=acme+corp&after=…`) — the one parser the
    /// queue page, the API and `greenlight explain` share. Parameters it does not know are ignored.
    public init(query: String) throws(InputError) {
        try self.init(parameters: Self.parameters(ofQuery: query))
    }

    /// A query string's parameters, decoded (`+` is a space); the last value of a repeated name wins.
    public static func parameters(ofQuery query: String) -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { part in
                let text = String(part).replacingOccurrences(of: "+", with: " ")
                return text.removingPercentEncoding ?? text
            }
            guard let name = parts.first, !name.isEmpty else { continue }
            parameters[name] = parts.count > 1 ? parts[1] : ""
        }
        return parameters
    }
}
