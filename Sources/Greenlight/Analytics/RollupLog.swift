import Foundation
import SQLKit

/// The changes the daily rollup has yet to count (migration 0016): a trigger appends each changed
/// email's old values (sign −1) and new values (sign +1) to `rollup_log` inside the change's own
/// transaction, and ``fold(_:batch:wait:)`` adds a batch of them to `daily_counts` and
/// `daily_reviews` and deletes them, in one transaction. The counts are sums, so any batch — in any
/// order, by any instance — gives the same totals, and a fold that fails leaves its rows for the next.
///
/// Folders take turns on one lock in the database (a PostgreSQL advisory lock; SQLite has one writer),
/// so two instances never add the same rows twice.
public enum RollupLog {
    /// The advisory lock folders and rebuilds take turns on (PostgreSQL): "GLROLLUP" in ASCII.
    static let lockKey = 0x474C_524F_4C4C_5550

    /// How many log rows one fold transaction takes at most.
    public static let defaultBatch = 5_000

    /// Folds the log until it is empty, `batch` rows per transaction. With `wait` false it gives up
    /// at once when another instance is folding (the background folder); with `wait` true it waits
    /// its turn (a reader about to show figures). Returns how many log rows it folded.
    @discardableResult
    public static func fold(_ database: Database, batch: Int = defaultBatch, wait: Bool = true) async throws -> Int {
        guard try await isPending(database) else { return 0 }
        var total = 0
        while true {
            let folded = try await database.write { sql -> Int? in
                if database.dialect == .postgres {
                    if wait {
                        try await lock(sql)
                    } else if try await sql.raw("SELECT pg_try_advisory_xact_lock(\(bind: lockKey)) AS taken").first()?.decode(column: "taken", as: Bool.self) != true {
                        return nil
                    }
                }
                return try await foldBatch(sql, dialect: database.dialect, limit: batch)
            }
            guard let folded else { return total }
            total += folded
            if folded < batch { return total }
        }
    }

    /// Waits for the folders' lock (PostgreSQL), held until the caller's transaction ends.
    static func lock(_ sql: any SQLDatabase) async throws {
        try await sql.raw("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(\(bind: lockKey))) AS waited").run()
    }

    /// Whether any change waits to be folded (one indexed read, no lock).
    public static func isPending(_ database: Database) async throws -> Bool {
        try await database.read { sql in try await sql.raw("SELECT id FROM rollup_log ORDER BY id LIMIT 1").first() != nil }
    }

    /// Folds the oldest `limit` rows of the log (nil: all of them) inside the caller's transaction,
    /// which holds the folders' lock. Returns how many rows it folded.
    static func foldBatch(_ sql: any SQLDatabase, dialect: DatabaseDialect, limit: Int?) async throws -> Int {
        let columns = DailyRollup.counters.map(\.column)
        let listed = columns.joined(separator: ", ")
        let sums = columns.map { "SUM(sign * \($0))" }.joined(separator: ", ")
        let adds = columns.map { "\($0) = daily_counts.\($0) + excluded.\($0)" }.joined(separator: ", ")
        let reviewColumns = ["approved", "edited", "rejected", "review_ms_sum", "review_ms_count"]
        let reviewSums = reviewColumns.map { "SUM(sign * \($0))" }.joined(separator: ", ")
        let reviewAdds = reviewColumns.map { "\($0) = daily_reviews.\($0) + excluded.\($0)" }.joined(separator: ", ")
        func counts(_ rows: String) -> String {
            """
            INSERT INTO daily_counts (client_id, day, \(listed))
            SELECT client_id, day, \(sums) FROM rollup_log_counts WHERE \(rows) GROUP BY client_id, day
            ON CONFLICT (client_id, day) DO UPDATE SET \(adds)
            """
        }
        func reviews(_ rows: String) -> String {
            """
            INSERT INTO daily_reviews (client_id, day, reviewer_id, reviewer_name, \(reviewColumns.joined(separator: ", ")))
            SELECT client_id, day, reviewer_id, reviewer_name, \(reviewSums) FROM rollup_log_reviews WHERE \(rows)
            GROUP BY client_id, day, reviewer_id, reviewer_name
            ON CONFLICT (client_id, day, reviewer_id, reviewer_name) DO UPDATE SET \(reviewAdds)
            """
        }
        let limited = limit.map { " ORDER BY id LIMIT \($0)" } ?? ""
        switch dialect {
        case .postgres:
            // One statement: its parts share one snapshot, so the rows counted are exactly the rows
            // deleted, even while other transactions append (and commit ids out of order).
            let row = try await sql.raw(SQLQueryString("""
                WITH taken AS (DELETE FROM rollup_log WHERE id IN (SELECT id FROM rollup_log\(unsafeRaw: limited)) RETURNING id),
                counted AS (\(unsafeRaw: counts("log_id IN (SELECT id FROM taken)")) RETURNING 1),
                reviewed AS (\(unsafeRaw: reviews("log_id IN (SELECT id FROM taken)")) RETURNING 1)
                SELECT COUNT(*) AS folded FROM taken
                """)).first()
            return try row?.decode(column: "folded", as: Int.self) ?? 0
        case .sqlite:
            // One writer: nothing appends between these statements.
            guard let row = try await sql.raw(SQLQueryString("SELECT COUNT(*) AS n, MAX(id) AS last FROM (SELECT id FROM rollup_log\(unsafeRaw: limited))")).first(),
                  let last = try row.decode(column: "last", as: Int?.self) else { return 0 }
            let rows = "log_id <= \(last)"
            try await sql.raw(SQLQueryString(counts(rows))).run()
            try await sql.raw(SQLQueryString(reviews(rows))).run()
            try await sql.raw("DELETE FROM rollup_log WHERE id <= \(bind: last)").run()
            return try row.decode(column: "n", as: Int.self)
        }
    }
}
