import Foundation
import SQLKit
import GreenlightCore

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
            let folded = try await database.write { sql -> (emails: Int, events: Int)? in
                if database.dialect == .postgres {
                    if wait {
                        try await lock(sql)
                    } else if try await sql.raw("SELECT pg_try_advisory_xact_lock(\(bind: lockKey)) AS taken").first()?.decode(
                        column: "taken", as: Bool.self) != true
                    {
                        return nil
                    }
                }
                return (
                    try await foldBatch(sql, dialect: database.dialect, limit: batch),
                    try await foldEvents(sql, dialect: database.dialect, limit: batch)
                )
            }
            guard let folded else { return total }
            total += folded.emails + folded.events
            if folded.emails < batch && folded.events < batch { return total }
        }
    }

    /// Waits for the folders' lock (PostgreSQL), held until the caller's transaction ends.
    static func lock(_ sql: any SQLDatabase) async throws {
        try await sql.raw("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(\(bind: lockKey))) AS waited").run()
    }

    /// Whether any change waits to be folded (two indexed reads, no lock).
    public static func isPending(_ database: Database) async throws -> Bool {
        try await database.read { sql in
            if try await sql.raw("SELECT id FROM rollup_log ORDER BY id LIMIT 1").first() != nil { return true }
            return try await sql.raw("SELECT id FROM rollup_event_log ORDER BY id LIMIT 1").first() != nil
        }
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
        // Column names from the rollup's own vocabulary; the rows to fold come as SQL with binds.
        func counts(_ rows: SQLQueryString) -> SQLQueryString {
            SQLQueryString(
                """
                INSERT INTO daily_counts (client_id, day, \(unsafeRaw: listed))
                SELECT client_id, day, \(unsafeRaw: sums) FROM rollup_log_counts WHERE
                """) + " " + rows + SQLQueryString(" GROUP BY client_id, day ON CONFLICT (client_id, day) DO UPDATE SET \(unsafeRaw: adds)")
        }
        func reviews(_ rows: SQLQueryString) -> SQLQueryString {
            SQLQueryString(
                """
                INSERT INTO daily_reviews (client_id, day, reviewer_id, reviewer_name, \(unsafeRaw: reviewColumns.joined(separator: ", ")))
                SELECT client_id, day, reviewer_id, reviewer_name, \(unsafeRaw: reviewSums) FROM rollup_log_reviews WHERE
                """) + " " + rows
                + SQLQueryString(
                    """
                     GROUP BY client_id, day, reviewer_id, reviewer_name
                    ON CONFLICT (client_id, day, reviewer_id, reviewer_name) DO UPDATE SET \(unsafeRaw: reviewAdds)
                    """)
        }
        let limited = Self.oldest(limit)
        switch dialect {
        case .postgres:
            // One statement: its parts share one snapshot, so the rows counted (up to the cut) are
            // exactly the rows deleted, even while other transactions append and commit ids out of
            // order. A range of ids, not a join with the deleted rows: the plan stays an index range
            // scan whatever the statistics say (a join planned on stale statistics went quadratic).
            let cut: SQLQueryString = "log_id <= (SELECT last FROM cut)"
            let row = try await sql.raw(
                "WITH cut AS (SELECT MAX(id) AS last FROM (SELECT id FROM rollup_log" + limited + """
                    ) AS batch),
                    taken AS (DELETE FROM rollup_log WHERE id <= (SELECT last FROM cut) RETURNING id),
                    counted AS (
                    """ + counts(cut) + " RETURNING 1), reviewed AS (" + reviews(cut) + """
                         RETURNING 1)
                        SELECT COUNT(*) AS folded FROM taken
                        """
            ).first()
            return try row?.decode(column: "folded", as: Int.self) ?? 0
        case .sqlite:
            // One writer: nothing appends between these statements.
            guard
                let row = try await sql.raw("SELECT COUNT(*) AS n, MAX(id) AS last FROM (SELECT id FROM rollup_log" + limited + ") AS batch").first(),
                let last = try row.decode(column: "last", as: Int?.self)
            else { return 0 }
            let rows = SQLQueryString("log_id <= \(bind: last)")
            try await sql.raw(counts(rows)).run()
            try await sql.raw(reviews(rows)).run()
            try await sql.raw("DELETE FROM rollup_log WHERE id <= \(bind: last)").run()
            return try row.decode(column: "n", as: Int.self)
        }
    }

    /// Folds the oldest `limit` review events of `rollup_event_log` (nil: all) into their reviewers'
    /// fast approvals and runs, inside the caller's transaction, which holds the folders' lock.
    /// Each reviewer's day continues from its stored run: the events are read in their order, each edit
    /// or rejection starts a new island of approvals; the approvals before the first one extend the
    /// stored run, the last island is the run now, and the longest is the longest of them all.
    /// Returns how many events it folded.
    static func foldEvents(_ sql: any SQLDatabase, dialect: DatabaseDialect, limit: Int?) async throws -> Int {
        let limited = Self.oldest(limit)
        let greatest = dialect == .postgres ? "GREATEST" : "MAX"
        func runs(_ source: SQLQueryString) -> SQLQueryString {
            SQLQueryString(
                """
                events AS (
                    SELECT t.event_id AS seq, t.client_id, greenlight_local_day(t.created_at, c.timezone) AS day, t.reviewer_id, t.reviewer_name,
                        CASE WHEN t.action = 'approve' THEN 1 ELSE 0 END AS approval,
                        CASE WHEN t.action = 'approve' AND t.review_ms < \(literal: DailyRollup.fastApprovalMilliseconds) THEN 1 ELSE 0 END AS fast
                    FROM
                """) + " " + source
                + SQLQueryString(
                    """
                     t JOIN clients c ON c.id = t.client_id
                    ),
                    numbered AS (
                        SELECT client_id, day, reviewer_id, reviewer_name, approval, fast,
                            SUM(1 - approval) OVER (PARTITION BY client_id, day, reviewer_id, reviewer_name ORDER BY seq) AS island
                        FROM events
                    ),
                    islands AS (
                        SELECT client_id, day, reviewer_id, reviewer_name, island, SUM(approval) AS approvals, SUM(fast) AS fast
                        FROM numbered GROUP BY client_id, day, reviewer_id, reviewer_name, island
                    ),
                    runs AS (
                        SELECT client_id, day, reviewer_id, reviewer_name, SUM(fast) AS fast, MAX(island) AS last_island,
                            SUM(CASE WHEN island = 0 THEN approvals ELSE 0 END) AS first_run,
                            MAX(CASE WHEN island > 0 THEN approvals ELSE 0 END) AS later_longest
                        FROM islands GROUP BY client_id, day, reviewer_id, reviewer_name
                    )
                    """)
        }
        let upsert = """
            INSERT INTO daily_reviews (client_id, day, reviewer_id, reviewer_name, fast_approvals, approve_run, longest_run)
            SELECT r.client_id, r.day, r.reviewer_id, r.reviewer_name, COALESCE(d.fast_approvals, 0) + r.fast,
                CASE WHEN r.last_island > 0 THEN l.approvals ELSE COALESCE(d.approve_run, 0) + r.first_run END,
                \(greatest)(COALESCE(d.longest_run, 0), COALESCE(d.approve_run, 0) + r.first_run, r.later_longest)
            FROM runs r JOIN islands l ON l.client_id = r.client_id AND l.day = r.day AND l.reviewer_id = r.reviewer_id
                AND l.reviewer_name = r.reviewer_name AND l.island = r.last_island
            LEFT JOIN daily_reviews d ON d.client_id = r.client_id AND d.day = r.day AND d.reviewer_id = r.reviewer_id AND d.reviewer_name = r.reviewer_name
            WHERE 1 = 1
            ON CONFLICT (client_id, day, reviewer_id, reviewer_name) DO UPDATE SET fast_approvals = excluded.fast_approvals,
                approve_run = excluded.approve_run, longest_run = excluded.longest_run
            """
        switch dialect {
        case .postgres:
            let row = try await sql.raw(
                "WITH cut AS (SELECT MAX(id) AS last FROM (SELECT id FROM rollup_event_log" + limited + """
                    ) AS batch),
                    taken AS (DELETE FROM rollup_event_log WHERE id <= (SELECT last FROM cut)
                        RETURNING event_id, client_id, created_at, reviewer_id, reviewer_name, action, review_ms),
                    """ + runs("taken")
                    + SQLQueryString(
                        """
                        ,
                        upserted AS (\(unsafeRaw: upsert) RETURNING 1)
                        SELECT COUNT(*) AS folded FROM taken
                        """)
            ).first()
            return try row?.decode(column: "folded", as: Int.self) ?? 0
        case .sqlite:
            guard
                let row = try await sql.raw("SELECT COUNT(*) AS n, MAX(id) AS last FROM (SELECT id FROM rollup_event_log" + limited + ") AS batch")
                    .first(),
                let last = try row.decode(column: "last", as: Int?.self)
            else { return 0 }
            try await sql.raw(
                "WITH " + runs(SQLQueryString("(SELECT * FROM rollup_event_log WHERE id <= \(bind: last))")) + " " + SQLQueryString(upsert)
            ).run()
            try await sql.raw("DELETE FROM rollup_event_log WHERE id <= \(bind: last)").run()
            return try row.decode(column: "n", as: Int.self)
        }
    }

    /// ` ORDER BY id LIMIT n` (the oldest `limit` rows), or nothing for all rows.
    static func oldest(_ limit: Int?) -> SQLQueryString {
        limit.map { SQLQueryString(" ORDER BY id LIMIT \(bind: $0)") } ?? ""
    }
}
