import Foundation
public import Logging
import SQLKit
import GreenlightCore
import GreenlightEmails

/// The daily rollup the dashboard reads (migration 0008): counters per client and per day in the
/// client's time zone. Changes to emails reach it through ``RollupLog`` (folded every second, and
/// before the dashboard reads); review events through a trigger in their own transaction. This type knows its vocabulary and rebuilds it from scratch — after the
/// migration that creates it, and when a client's time zone changes (every day moves).
public enum DailyRollup {
    /// The lower bounds (seconds) of the review-time buckets, as the migration's `time:` measure cuts them.
    public static let reviewTimeBuckets = [0, 3, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1800]
    /// Approvals faster than this (milliseconds) count as `fast_approvals` (``RollupLog/foldEvents(_:dialect:limit:)``).
    public static let fastApprovalMilliseconds = 5_000

    /// The counter columns of `daily_counts` and the measure each holds: `generated`, `auto`, `score`
    /// (the total), `status:<status>` and `band:<0-9>` for drafts made that day; `decided:<approved|
    /// edited|rejected>`, `review_ms`, `timed`, `reason:<code>` and `time:<seconds>` for human
    /// decisions taken that day.
    public static let counters: [(column: String, measure: String)] = {
        var counters = [("generated", "generated"), ("auto_approved", "auto"), ("score_sum", "score")]
        counters += ["pending_review", "approved", "approved_edited", "approved_auto", "rejected", "sent", "sampled"].map {
            ("status_\($0)", "status:\($0)")
        }
        counters += (0..<10).map { ("band_\($0)", "band:\($0)") }
        counters += [
            ("decided_approved", "decided:approved"), ("decided_edited", "decided:edited"), ("decided_rejected", "decided:rejected"),
            ("review_ms_sum", "review_ms"), ("review_ms_count", "timed"),
        ]
        counters += RejectionReason.allCases.map { ("reason_\($0.rawValue)", "reason:\($0.rawValue)") }
        counters += reviewTimeBuckets.map { ("time_\($0)", "time:\($0)") }
        return counters
    }()

    /// `CAST(SUM(c) AS BIGINT) AS c` for every counter (PostgreSQL sums BIGINT as NUMERIC).
    static var summedCounters: String {
        counters.map { "CAST(SUM(\($0.column)) AS BIGINT) AS \($0.column)" }.joined(separator: ", ")
    }

    /// A range of days as the rollup reads it fastest: the whole months inside it (from
    /// `monthly_counts`) and the days at its edges (from `daily_counts`), as inclusive day ranges.
    public static func pieces(from: String, to: String) -> (months: [String], days: [(from: String, to: String)]) {
        guard let first = LocalDay.dayNumber(of: from), let last = LocalDay.dayNumber(of: to), first <= last else { return ([], []) }
        var months: [String] = []
        var days: [(String, String)] = []
        var start = first
        while start <= last {
            let text = LocalDay.text(ofDayNumber: start)
            let month = String(text.prefix(7))
            let monthStart = LocalDay.dayNumber(of: month + "-01") ?? start
            let year = Int(month.prefix(4)) ?? 1970
            let monthEnd = monthStart + LocalDay.daysIn(month: Int(month.suffix(2)) ?? 1, year: year) - 1
            let end = min(monthEnd, last)
            if start == monthStart && end == monthEnd {
                months.append(month)
            } else {
                days.append((text, LocalDay.text(ofDayNumber: end)))
            }
            start = end + 1
        }
        return (months, days)
    }

    /// The migration that creates the rollup: when it is applied, the rollup is filled from what exists.
    static let migrationVersion = 8

    /// Empties the rollup of one client (nil: all) and fills it again from the emails and review events,
    /// inside the caller's transaction: the client's emails and review events go into the logs as they
    /// are now, replacing its changes not yet folded, and the whole logs are folded.
    public static func rebuild(_ sql: any SQLDatabase, clientID: Int? = nil) async throws {
        let dialect = DatabaseDialect.of(sql)
        if dialect == .postgres { try await RollupLog.lock(sql) }
        let only: SQLQueryString = clientID.map { "client_id = \(bind: $0)" } ?? "1 = 1"
        // Emptied first; the monthly rows come back through the triggers that follow the daily ones.
        try await sql.raw("DELETE FROM monthly_counts WHERE " + only).run()
        try await sql.raw("DELETE FROM daily_counts WHERE " + only).run()
        try await sql.raw("DELETE FROM monthly_reviews WHERE " + only).run()
        try await sql.raw("DELETE FROM daily_reviews WHERE " + only).run()
        let logged =
            SQLQueryString(
                """
                INSERT INTO rollup_log (sign, email_id, client_id, created_at, status, gate_outcome, quality_score, reviewer_id, reviewer_name, reviewed_at, review_ms, rejection_reason, edited)
                SELECT 1, id, client_id, created_at, status, gate_outcome, quality_score, reviewer_id, reviewer_name, reviewed_at, review_ms, rejection_reason,
                    CASE WHEN final_body IS NULL THEN 0 ELSE 1 END FROM generated_emails WHERE
                """) + " " + only
        let eventsLogged =
            SQLQueryString(
                """
                INSERT INTO rollup_event_log (event_id, client_id, created_at, reviewer_id, reviewer_name, action, review_ms)
                SELECT id, client_id, created_at, COALESCE(user_id, 0), actor_name, action, review_ms FROM review_events
                WHERE action IN ('approve', 'edit', 'reject') AND
                """) + " " + only
        switch dialect {
        case .postgres:
            // One snapshot for each: a change committed after it keeps its log rows and is folded on top.
            try await sql.raw("WITH replaced AS (DELETE FROM rollup_log WHERE " + only + " RETURNING id) " + logged).run()
            try await sql.raw("WITH replaced AS (DELETE FROM rollup_event_log WHERE " + only + " RETURNING id) " + eventsLogged).run()
        case .sqlite:
            try await sql.raw("DELETE FROM rollup_log WHERE " + only).run()
            try await sql.raw(logged).run()
            try await sql.raw("DELETE FROM rollup_event_log WHERE " + only).run()
            try await sql.raw(eventsLogged).run()
        }
        // The client's rows are gone, so its runs of approvals start from nothing.
        _ = try await RollupLog.foldBatch(sql, dialect: dialect, limit: nil)
        _ = try await RollupLog.foldEvents(sql, dialect: dialect, limit: nil)
    }

    /// Fills the rollup when the migration that creates it was applied just now.
    package static func fillAfterMigration(_ database: Database, applied: [Int], logger: Logger) async throws {
        guard applied.contains(migrationVersion) else { return }
        try await database.write { sql in try await rebuild(sql) }
        logger.info("filled the daily rollup from the existing emails and review events")
    }
}
