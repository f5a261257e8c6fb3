import Foundation
import SQLKit

/// The queue's text search as SQL: through the search tables this area owns (Migrations/*/0003 and
/// 0004), so Storage need not know them.
enum SearchCondition {
    /// `column` contains `text` (already lower-cased), answered from the trigram index of
    /// Migrations/*/0003 and 0004: PostgreSQL's GIN index on `email_search_text` serves `LIKE` for text of 3 characters or more; SQLite's FTS5
    /// table serves `LIKE` for text of 3 characters or more without `%`, `_` or `\`, else the row is scanned.
    static func contains(_ column: SQLQueryString, _ text: String, dialect: DatabaseDialect) -> SQLQueryString {
        let pattern = "%" + SQLStatements.escapeLike(text) + "%"
        switch dialect {
        case .sqlite where text.count >= 3 && !text.contains(where: { "%_\\".contains($0) }):
            return "e.id IN (SELECT rowid FROM email_search WHERE search_text LIKE \(bind: "%" + text + "%"))"
        case .postgres where text.count >= 3:
            return "e.id IN (SELECT email_id FROM email_search_text WHERE search_text LIKE \(bind: pattern) ESCAPE '\\')"
        default:
            return column + SQLQueryString(" LIKE \(bind: pattern) ESCAPE '\\'")
        }
    }

}
