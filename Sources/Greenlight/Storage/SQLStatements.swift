import Foundation
import SQLKit

/// Small builders for query fragments both engines accept.
enum SQLStatements {
    /// `column IN (…)` with every value bound; an empty list matches nothing. `column` is fixed SQL text from the code.
    static func inList(_ column: SQLQueryString, _ values: [some Encodable & Sendable]) -> SQLQueryString {
        guard !values.isEmpty else { return "1 = 0" }
        var query = column + " IN ("
        for (index, value) in values.enumerated() {
            query = query + (index == 0 ? "" : ", ") + SQLQueryString("\(bind: value)")
        }
        return query + ")"
    }

    /// `column` contains `text` (already lower-cased), answered from the trigram index of
    /// Migrations/*/0003 and 0004: PostgreSQL's GIN index on `email_search_text` serves `LIKE` for text of 3 characters or more; SQLite's FTS5
    /// table serves `LIKE` for text of 3 characters or more without `%`, `_` or `\`, else the row is scanned.
    static func contains(_ column: SQLQueryString, _ text: String, dialect: DatabaseDialect) -> SQLQueryString {
        let pattern = "%" + escapeLike(text) + "%"
        switch dialect {
        case .sqlite where text.count >= 3 && !text.contains(where: { "%_\\".contains($0) }):
            return "e.id IN (SELECT rowid FROM email_search WHERE search_text LIKE \(bind: "%" + text + "%"))"
        case .postgres where text.count >= 3:
            return "e.id IN (SELECT email_id FROM email_search_text WHERE search_text LIKE \(bind: pattern) ESCAPE '\\')"
        default:
            return column + SQLQueryString(" LIKE \(bind: pattern) ESCAPE '\\'")
        }
    }

    /// Escapes `%`, `_` and `\` so user text matches itself in `LIKE … ESCAPE '\'`.
    static func escapeLike(_ text: String) -> String {
        var result = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
