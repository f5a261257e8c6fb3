import Foundation

/// A query string's or a urlencoded form's fields, decoded: `+` is a space, percent escapes are
/// undone, the last value of a repeated name wins. Pages, forms, the API and `greenlight explain`
/// read their parameters with it.
public enum QueryString {
    public static func parameters(_ query: String) -> [String: String] {
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
