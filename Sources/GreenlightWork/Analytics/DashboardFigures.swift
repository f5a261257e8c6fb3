import Foundation
import SQLKit
import GreenlightCore

/// The analytics dashboard's figures for a range of days and a set of clients, read from the
/// daily rollup (``DailyRollup``): drafts by the day they were made, human decisions by the day they
/// were taken, each day in its client's time zone. Folded up to date (``RollupLog``) before it is
/// read, the rollup equals a recount of the emails and review events; a test recounts from the raw
/// rows on both databases.
public struct DashboardFigures: Sendable, Equatable {
    /// Human decisions counted three ways.
    public struct Decisions: Sendable, Equatable {
        public var approved = 0
        public var edited = 0
        public var rejected = 0
        public var total: Int { approved + edited + rejected }
    }

    /// One week of decisions, from its first day.
    public struct Week: Sendable, Equatable {
        public var start: String
        public var decisions: Decisions
    }

    /// One reviewer's work in the range.
    public struct Reviewer: Sendable, Equatable {
        /// The reviewer's user id (their decisions are listed at `/review?status=reviewed&reviewer=ID`).
        public var id: Int
        public var name: String
        public var decisions: Decisions
        public var averageSeconds: Double?
        /// Approvals in under ``DailyRollup/fastApprovalMilliseconds``, as the reviewer made them.
        public var fastApprovals: Int
        /// The longest run of approvals without an edit or a rejection within one day.
        public var longestApproveStreak: Int
        /// Decisions today and over the last 7 days (today included), each client's day in its time zone.
        public var today: Int
        public var thisWeek: Int
    }

    /// The review-time bucket the median falls in: `low` to `high` seconds (`high` nil for the last bucket).
    public struct Band: Sendable, Equatable {
        public var low: Int
        public var high: Int?
        public var label: String { high.map { "\(low)–\($0) s" } ?? "\(low) s or more" }
    }

    public var generated = 0
    /// Drafts made in the range, by their status now.
    public var byStatus: [String: Int] = [:]
    public var autoApproved = 0
    public var decisions = Decisions()
    public var averageReviewSeconds: Double?
    /// Decisions per review-time bucket (``DailyRollup/reviewTimeBuckets``), and the bucket of the median.
    public var reviewTimes: [Int] = Array(repeating: 0, count: DailyRollup.reviewTimeBuckets.count)
    public var medianReviewBand: Band?
    public var averageScore: Double?
    public var reasons: [Count] = []
    public var weeks: [Week] = []
    public var reviewers: [Reviewer] = []
    /// Drafts made in the range by 10-point score band, lowest first (the last band is 90–100).
    public var histogram: [Int] = Array(repeating: 0, count: 10)

    /// A rejection reason and how often it was given.
    public struct Count: Sendable, Equatable {
        public var reason: String
        public var count: Int
    }

    /// Approval (edits included), edit and rejection rates among human decisions; auto-approval among drafts.
    public var approvalRate: Double? { decisions.total == 0 ? nil : Double(decisions.approved + decisions.edited) / Double(decisions.total) }
    public var editRate: Double? { decisions.total == 0 ? nil : Double(decisions.edited) / Double(decisions.total) }
    public var rejectionRate: Double? { decisions.total == 0 ? nil : Double(decisions.rejected) / Double(decisions.total) }
    public var autoApprovalRate: Double? { generated == 0 ? nil : Double(autoApproved) / Double(generated) }

    /// Reads the figures. `clientIDs` limits them to those clients (nil: all); `reviewerID` to one
    /// reviewer's own decisions (an SDR's view of their progress: no draft, reason or review-time figures).
    public static func read(
        _ database: Database, range: DashboardRange, clientIDs: [Int]?, reviewerID: Int? = nil, now: Int
    ) async throws -> DashboardFigures {
        // The changes of the last second are counted before reading, so the figures are exact.
        try await RollupLog.fold(database)
        return try await database.read { sql in
            var figures = DashboardFigures()
            let days: SQLQueryString = "day >= \(bind: range.from) AND day <= \(bind: range.to)" + SQLStatements.visible("client_id", to: clientIDs)
            // Whole months from the monthly tables, the days at the edges from the daily ones.
            let pieces = DailyRollup.pieces(from: range.from, to: range.to)
            let scope = SQLStatements.visible("client_id", to: clientIDs)
            func union(_ columns: String, monthly: String, daily: String, extra: SQLQueryString = "") -> SQLQueryString {
                var parts: [SQLQueryString] = []
                if !pieces.months.isEmpty {
                    parts.append(
                        SQLQueryString("SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: monthly) WHERE month IN (\(binds: pieces.months))") + scope
                            + extra)
                }
                for piece in pieces.days {
                    parts.append(
                        SQLQueryString(
                            "SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: daily) WHERE day >= \(bind: piece.from) AND day <= \(bind: piece.to)")
                            + scope + extra)
                }
                return parts.dropFirst().reduce(parts.first ?? SQLQueryString("SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: daily) WHERE 1 = 0")) {
                    $0 + " UNION ALL " + $1
                }
            }
            let first = LocalDay.dayNumber(of: range.from) ?? 0
            var weeks: [Int: Decisions] = [:]
            if reviewerID == nil {
                let columns = DailyRollup.counters.map(\.column).joined(separator: ", ")
                if let row = try await sql.raw(
                    "SELECT \(unsafeRaw: DailyRollup.summedCounters) FROM (" + union(columns, monthly: "monthly_counts", daily: "daily_counts")
                        + ") AS pieces"
                ).first() {
                    try figures.add(counts: DailyRollup.counters.map { ($0.measure, try row.decode(column: $0.column, as: Int?.self) ?? 0) })
                }
                let perDay =
                    "CAST(SUM(decided_approved) AS BIGINT) AS approved, CAST(SUM(decided_edited) AS BIGINT) AS edited, CAST(SUM(decided_rejected) AS BIGINT) AS rejected"
                for row in try await sql.raw(SQLQueryString("SELECT day, \(unsafeRaw: perDay) FROM daily_counts WHERE ") + days + " GROUP BY day")
                    .all()
                {
                    let week = ((LocalDay.dayNumber(of: try row.decode(column: "day", as: String.self)) ?? first) - first) / 7
                    weeks[week] = (weeks[week] ?? Decisions()) + (try Self.decisions(row))
                }
            } else if let reviewerID {
                // An SDR's own figures, from their rows of daily_reviews.
                let sums =
                    "CAST(SUM(approved) AS BIGINT) AS approved, CAST(SUM(edited) AS BIGINT) AS edited, CAST(SUM(rejected) AS BIGINT) AS rejected, "
                    + "CAST(SUM(review_ms_sum) AS BIGINT) AS ms, CAST(SUM(review_ms_count) AS BIGINT) AS timed"
                var milliseconds = 0
                var timed = 0
                for row in try await sql.raw(
                    SQLQueryString("SELECT day, \(unsafeRaw: sums) FROM daily_reviews WHERE ") + days
                        + SQLQueryString(" AND reviewer_id = \(bind: reviewerID) GROUP BY day")
                ).all() {
                    let counted = try Self.decisions(row)
                    figures.decisions = figures.decisions + counted
                    milliseconds += try row.decode(column: "ms", as: Int.self)
                    timed += try row.decode(column: "timed", as: Int.self)
                    let week = ((LocalDay.dayNumber(of: try row.decode(column: "day", as: String.self)) ?? first) - first) / 7
                    weeks[week] = (weeks[week] ?? Decisions()) + counted
                }
                if timed > 0 { figures.averageReviewSeconds = Double(milliseconds) / Double(timed) / 1000 }
            }
            let weekCount = max(1, ((LocalDay.dayNumber(of: range.to) ?? first) - first) / 7 + 1)
            figures.weeks = (0..<weekCount).map { Week(start: LocalDay.text(ofDayNumber: first + 7 * $0), decisions: weeks[$0] ?? Decisions()) }

            let recent = try await Self.recentDecisions(sql, clientIDs: clientIDs, reviewerID: reviewerID, now: now)
            let reviewerColumns =
                "reviewer_id, reviewer_name, approved, edited, rejected, review_ms_sum, review_ms_count, fast_approvals, longest_run"
            let onlyReviewer: SQLQueryString = reviewerID.map { " AND reviewer_id = \(bind: $0)" } ?? ""
            let perReviewer = try await sql.raw(
                """
                SELECT reviewer_id, reviewer_name, CAST(SUM(approved) AS BIGINT) AS approved, CAST(SUM(edited) AS BIGINT) AS edited,
                CAST(SUM(rejected) AS BIGINT) AS rejected, CAST(SUM(review_ms_sum) AS BIGINT) AS ms, CAST(SUM(review_ms_count) AS BIGINT) AS timed,
                CAST(SUM(fast_approvals) AS BIGINT) AS fast, MAX(longest_run) AS longest FROM (
                """ + union(reviewerColumns, monthly: "monthly_reviews", daily: "daily_reviews", extra: onlyReviewer)
                    + ") AS pieces GROUP BY reviewer_id, reviewer_name"
            ).all()
            figures.reviewers = try perReviewer.compactMap { row in
                let counted = try Self.decisions(row)
                let fast = try row.decode(column: "fast", as: Int.self)
                let longest = try row.decode(column: "longest", as: Int.self)
                guard counted.total > 0 || fast > 0 || longest > 0 else { return nil }
                let key = ReviewerKey(
                    id: try row.decode(column: "reviewer_id", as: Int.self), name: try row.decode(column: "reviewer_name", as: String.self))
                let timed = try row.decode(column: "timed", as: Int.self)
                return Reviewer(
                    id: key.id, name: key.name, decisions: counted,
                    averageSeconds: timed == 0 ? nil : Double(try row.decode(column: "ms", as: Int.self)) / Double(timed) / 1000,
                    fastApprovals: fast, longestApproveStreak: longest, today: recent[key]?.today ?? 0, thisWeek: recent[key]?.week ?? 0)
            }.sorted { ($0.name, $0.decisions.total) < ($1.name, $1.decisions.total) }
            return figures
        }
    }

    /// Adds the rollup's `daily_counts` counters, summed over the range, by measure.
    mutating func add(counts: [(measure: String, n: Int)]) throws {
        var scoreSum = 0
        var milliseconds = 0
        var timed = 0
        var reasons: [String: Int] = [:]
        for (measure, n) in counts {
            let parts = measure.split(separator: ":", maxSplits: 1).map(String.init)
            switch (parts[0], parts.count == 2 ? parts[1] : "") {
            case ("generated", _): generated += n
            case ("auto", _): autoApproved += n
            case ("score", _): scoreSum += n
            case ("status", let status) where n != 0: byStatus[status, default: 0] += n
            case ("band", let band): if let band = Int(band), histogram.indices.contains(band) { histogram[band] += n }
            case ("reason", let reason) where n != 0: reasons[reason, default: 0] += n
            case ("time", let low): if let low = Int(low), let index = DailyRollup.reviewTimeBuckets.firstIndex(of: low) { reviewTimes[index] += n }
            case ("decided", "approved"): decisions.approved += n
            case ("decided", "edited"): decisions.edited += n
            case ("decided", "rejected"): decisions.rejected += n
            case ("review_ms", _): milliseconds += n
            case ("timed", _): timed += n
            default: continue
            }
        }
        averageScore = generated > 0 ? Double(scoreSum) / Double(generated) : nil
        averageReviewSeconds = timed > 0 ? Double(milliseconds) / Double(timed) / 1000 : nil
        self.reasons = reasons.filter { $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map {
            Count(reason: $0.key, count: $0.value)
        }
        medianReviewBand = Self.medianBand(reviewTimes)
    }

    /// The bucket holding the lower median of the review times counted per bucket.
    static func medianBand(_ counts: [Int]) -> Band? {
        let total = counts.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = (total + 1) / 2
        var seen = 0
        for (index, count) in counts.enumerated() {
            seen += count
            if seen >= rank {
                let bounds = DailyRollup.reviewTimeBuckets
                return Band(low: bounds[index], high: index + 1 < bounds.count ? bounds[index + 1] : nil)
            }
        }
        return nil
    }

    private struct ReviewerKey: Hashable {
        var id: Int
        var name: String
    }

    /// Each reviewer's decisions today and over the last 7 days, today being each client's own day now.
    private static func recentDecisions(_ sql: any SQLDatabase, clientIDs: [Int]?, reviewerID: Int?, now: Int) async throws -> [ReviewerKey: (
        today: Int, week: Int
    )] {
        var today: [Int: String] = [:]
        for row in try await sql.raw("SELECT id, timezone FROM clients WHERE 1 = 1" + SQLStatements.visible("id", to: clientIDs)).all() {
            today[try row.decode(column: "id", as: Int.self)] = LocalDay.of(
                millis: now, timeZone: try row.decode(column: "timezone", as: String.self))
        }
        guard let earliest = today.values.min().flatMap({ LocalDay.adding(-6, to: $0) }) else { return [:] }
        var query: SQLQueryString = "day >= \(bind: earliest)" + SQLStatements.visible("client_id", to: clientIDs)
        if let reviewerID { query = query + " AND reviewer_id = \(bind: reviewerID)" }
        var result: [ReviewerKey: (today: Int, week: Int)] = [:]
        for row in try await sql.raw(
            """
            SELECT client_id, day, reviewer_id, reviewer_name, CAST(SUM(approved + edited + rejected) AS BIGINT) AS n FROM daily_reviews WHERE
            """ + " " + query + " GROUP BY client_id, day, reviewer_id, reviewer_name"
        ).all() {
            guard let clientToday = today[try row.decode(column: "client_id", as: Int.self)], let weekStart = LocalDay.adding(-6, to: clientToday)
            else { continue }
            let day = try row.decode(column: "day", as: String.self)
            guard day >= weekStart, day <= clientToday else { continue }
            let key = ReviewerKey(
                id: try row.decode(column: "reviewer_id", as: Int.self), name: try row.decode(column: "reviewer_name", as: String.self))
            let n = try row.decode(column: "n", as: Int.self)
            var entry = result[key] ?? (0, 0)
            entry.week += n
            if day == clientToday { entry.today += n }
            result[key] = entry
        }
        return result
    }

    private static func decisions(_ row: any SQLRow) throws -> Decisions {
        Decisions(
            approved: try row.decode(column: "approved", as: Int.self), edited: try row.decode(column: "edited", as: Int.self),
            rejected: try row.decode(column: "rejected", as: Int.self))
    }
}

extension DashboardFigures.Decisions {
    static func + (lhs: Self, rhs: Self) -> Self {
        Self(approved: lhs.approved + rhs.approved, edited: lhs.edited + rhs.edited, rejected: lhs.rejected + rhs.rejected)
    }
}
