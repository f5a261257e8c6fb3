import Foundation
import GreenlightWork
/// Builds queue URLs that keep the current filters.
enum QueueURL {
    static func make(_ filter: QueueFilter, after cursor: QueueCursor? = nil) -> String {
        var parameters = filter.parameters
        if let cursor { parameters.append(("after", cursor.token)) }
        guard !parameters.isEmpty else { return "/review" }
        return "/review?" + parameters.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A return address from a form, kept only when it points back into the review pages.
    static func safeReturn(_ text: String?) -> String {
        guard let text, text.hasPrefix("/review"), !text.hasPrefix("//") else { return "/review" }
        return text
    }
}
