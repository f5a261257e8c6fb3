import Foundation
import SQLKit
import GreenlightCore

/// The queue's text search as SQL: through the search tables this area owns (Migrations/*/0003 and
/// 0004), so Storage need not know them.
enum SearchCondition {
    /// `column` contains `text` (already lower-cased), answered from the trigram index of
    /// Migrations/*/0003 and 0004: PostgreSQL's GIN index on `email_search_text` serves `LIKE` for text of 3 characters or more; SQLite's FTS5
    /// table serves `LIKE` for text of 3 characters or more without `%`, `_` or `\`, else the row is scanned.
    static func contains(_ column: SQLQueryString, _ text: String, dialect: DatabaseDialect) -> SQLQueryString {
        let pattern = "%" + SQLStatements.escapeLike(text) + "%"
        switch dialect {
        case .sqlite where indexed(text):
            return "e.id IN (SELECT rowid FROM email_search WHERE search_text LIKE \(bind: "%" + text + "%"))"
        case .postgres where text.count >= 3:
            return "e.id IN (SELECT email_id FROM email_search_text WHERE search_text LIKE \(bind: pattern) ESCAPE '\\')"
        default:
            return column + SQLQueryString(" LIKE \(bind: pattern) ESCAPE '\\'")
        }
    }

    /// Whether SQLite's FTS5 index answers a search for `text`: 3 characters or more, without `%`, `_` or `\\`.
    static func indexed(_ text: String) -> Bool {
        text.count >= 3 && !text.contains(where: { "%_\\".contains($0) })
    }

    /// SQLite: how many emails in all hold `text` (already lower-cased), counted by the FTS5 index up
    /// to `cap`, as `n`; nil when the index cannot answer for `text`.
    static func indexCount(_ text: String, cap: Int) -> SQLQueryString? {
        guard indexed(text) else { return nil }
        return "SELECT COUNT(*) AS n FROM (SELECT rowid FROM email_search WHERE search_text LIKE \(bind: "%" + text + "%")"
            + SQLQueryString(" LIMIT \(literal: cap)) AS found")
    }

    /// How a search's walk checks each email of its window `w` for `text` (already lower-cased): what
    /// follows `FROM (…) AS w` — the text's table, the condition, and the order its matches are kept
    /// in. The window carries ids only: with the texts in it, SQLite sorted each walk's 2,000 texts to
    /// merge several walks (150 ms for "all" at a million drafts).
    ///
    /// PostgreSQL reads the text from `email_search_text`, where it is stored uncompressed
    /// (Migrations/postgres/0017), and gets `strpos`, whose selectivity it cannot estimate (it assumes
    /// a third of the rows): with `LIKE` it guesses from its statistics that a phrase is rare and reads
    /// every candidate through a bitmap to sort them. Its window keeps its order through the filter,
    /// so the `ORDER BY` costs nothing.
    ///
    /// SQLite reads the text from its own `email_search_text` too (Migrations/sqlite/0018): at the end
    /// of the email's row it spilled onto overflow pages, which cost twice the lookup of the row. It
    /// joins the table rather than asking a subquery, which copied each text out of its page (1.3 ms
    /// of 3 for 1,300 emails at a million drafts); `CROSS JOIN` keeps the window first, streamed. It
    /// checks the text with `greenlight_contains` (``SQLiteDriver/installContains``), a byte search faster than its `LIKE`. It has no
    /// `ORDER BY`: SQLite would read and sort the whole window first, where without one it takes the
    /// window's rows as its ordered walks stream them (a co-routine) and stops at a page. The page
    /// itself is sorted after.
    static func checked(_ text: String, dialect: DatabaseDialect) -> SQLQueryString {
        switch dialect {
        case .postgres:
            return
                " WHERE strpos((SELECT s.search_text FROM email_search_text s WHERE s.email_id = w.id), \(bind: text)) > 0 ORDER BY w.quality_score, w.created_at, w.id"
        case .sqlite:
            return " CROSS JOIN email_search_text s ON s.email_id = w.id WHERE greenlight_contains(s.search_text, \(bind: text)) = 1"
        }
    }
}
