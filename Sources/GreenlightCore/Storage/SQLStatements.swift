import Foundation
import SQLKit

/// Small builders for query fragments both engines accept.
package enum SQLStatements {
    /// `column IN (…)` with every value bound; an empty list matches nothing. `column` is fixed SQL text from the code.
    package static func inList(_ column: SQLQueryString, _ values: [some Encodable & Sendable]) -> SQLQueryString {
        guard !values.isEmpty else { return "1 = 0" }
        var query = column + " IN ("
        for (index, value) in values.enumerated() {
            query = query + (index == 0 ? "" : ", ") + SQLQueryString("\(bind: value)")
        }
        return query + ")"
    }

    /// `WITH name (id, value) AS (VALUES (…), …) `: a table of (integer, text) rows with every value
    /// bound, for one set-based `UPDATE … FROM name` instead of a statement per row. `name` is fixed SQL text.
    package static func pairs(_ name: SQLQueryString, _ rows: [(id: Int, value: String)]) -> SQLQueryString {
        var query = "WITH " + name + " (id, value) AS (VALUES "
        for (index, row) in rows.enumerated() {
            query = query + (index == 0 ? "" : ", ") + SQLQueryString("(CAST(\(bind: row.id) AS BIGINT), CAST(\(bind: row.value) AS TEXT))")
        }
        return query + ") "
    }

    /// ` AND column IN (…)` limiting a query to the clients a caller may see; nothing when `clientIDs`
    /// is `nil` (an admin sees all). The one place the visibility condition is written.
    package static func visible(_ column: SQLQueryString, to clientIDs: [Int]?) -> SQLQueryString {
        guard let clientIDs else { return "" }
        return " AND " + inList(column, clientIDs)
    }

    /// Escapes `%`, `_` and `\` so user text matches itself in `LIKE … ESCAPE '\'`.
    package static func escapeLike(_ text: String) -> String {
        var result = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
