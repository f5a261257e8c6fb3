import Foundation

/// What an outside service's error answer becomes in a message, a log line or a stored error: one
/// line, trimmed, cut to a length a page or a database column holds.
package enum ErrorText {
    /// The longest error text kept (after the cut, "…" marks that more was said).
    static let keptCharacters = 300

    /// `text` on one line (line breaks become spaces), trimmed, cut to `limit` characters.
    package static func oneLine(_ text: String, limit: Int = keptCharacters) -> String {
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return line.count <= limit ? line : String(line.prefix(limit)) + "…"
    }
}
