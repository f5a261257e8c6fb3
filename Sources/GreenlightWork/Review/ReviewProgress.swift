import SQLKit
import GreenlightCore

/// How far a reviewer is today: the emails they decided today that still stand (an undone decision
/// no longer counts), each email's day being its client's day in the client's time zone — the same
/// day the dashboard's "today" uses.
///
/// Read live from the emails themselves (not from the dashboard's rollups, which lag), so the queue's
/// "14 done today" moves with every decision.
public enum ReviewProgress {
    /// Decisions older than this cannot be today anywhere on Earth (a day is at most 26 hours behind UTC's).
    static let lookBack = 50 * 3_600_000

    /// - Parameter reviewerID: whose decisions; nil for every human reviewer's (the dashboard's "decided today").
    public static func doneToday(_ database: Database, reviewerID: Int?, clientIDs: [Int]?, now: Int) async throws -> Int {
        let since = now - lookBack
        let who: SQLQueryString = reviewerID.map { "e.reviewer_id = \(bind: $0)" } ?? "e.reviewer_id IS NOT NULL"
        let query: SQLQueryString = """
            SELECT e.reviewed_at, c.timezone FROM generated_emails e JOIN clients c ON c.id = e.client_id
            WHERE
            """ + " " + who + " AND e.reviewed_at >= \(bind: since)" + SQLStatements.visible("e.client_id", to: clientIDs)
        return try await database.read { sql in
            var todays: [String: String] = [:]
            var count = 0
            for row in try await sql.raw(query).all() {
                let zone = try row.decode(column: "timezone", as: String.self)
                let today = todays[zone] ?? LocalDay.of(millis: now, timeZone: zone)
                todays[zone] = today
                if LocalDay.of(millis: try row.decode(column: "reviewed_at", as: Int.self), timeZone: zone) == today { count += 1 }
            }
            return count
        }
    }
}
