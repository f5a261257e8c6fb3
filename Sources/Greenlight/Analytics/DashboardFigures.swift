import Foundation
import SQLKit

/// The analytics dashboard's figures (SPEC §6) for a date range and a set of clients, counted from
/// the emails themselves: drafts by the day they were made, human decisions by the day they were
/// taken. Every figure is a recount, so it always equals the raw records.
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
        public var name: String
        public var decisions: Decisions
        public var averageSeconds: Double?
        /// Approvals faster than the rubber-stamp limit.
        public var fastApprovals: Int
        /// The longest run of approvals without an edit or a rejection.
        public var longestApproveStreak: Int
        public var today: Int
        public var thisWeek: Int
    }

    public var generated = 0
    /// Drafts made in the range, by their status now.
    public var byStatus: [String: Int] = [:]
    public var autoApproved = 0
    public var decisions = Decisions()
    public var averageReviewSeconds: Double?
    public var medianReviewSeconds: Double?
    public var averageScore: Double?
    public var reasons: [(reason: String, count: Int)] = []
    public var weeks: [Week] = []
    public var reviewers: [Reviewer] = []
    /// Drafts made in the range by 10-point score band, lowest first (the last band is 90–100).
    public var histogram: [Int] = Array(repeating: 0, count: 10)

    public static func == (lhs: DashboardFigures, rhs: DashboardFigures) -> Bool {
        lhs.generated == rhs.generated && lhs.byStatus == rhs.byStatus && lhs.autoApproved == rhs.autoApproved && lhs.decisions == rhs.decisions
            && lhs.averageReviewSeconds == rhs.averageReviewSeconds && lhs.medianReviewSeconds == rhs.medianReviewSeconds
            && lhs.averageScore == rhs.averageScore && lhs.reasons.map(\.reason) == rhs.reasons.map(\.reason) && lhs.reasons.map(\.count) == rhs.reasons.map(\.count)
            && lhs.weeks == rhs.weeks && lhs.reviewers == rhs.reviewers && lhs.histogram == rhs.histogram
    }

    /// Approval (edits included), edit and rejection rates among human decisions; auto-approval among drafts.
    public var approvalRate: Double? { decisions.total == 0 ? nil : Double(decisions.approved + decisions.edited) / Double(decisions.total) }
    public var editRate: Double? { decisions.total == 0 ? nil : Double(decisions.edited) / Double(decisions.total) }
    public var rejectionRate: Double? { decisions.total == 0 ? nil : Double(decisions.rejected) / Double(decisions.total) }
    public var autoApprovalRate: Double? { generated == 0 ? nil : Double(autoApproved) / Double(generated) }

    /// Reads the figures. `clientIDs` limits them to those clients (nil: all); `reviewerID` to one
    /// reviewer's own decisions (an SDR's view of their progress).
    public static func read(_ database: Database, range: DashboardRange, clientIDs: [Int]?, reviewerID: Int? = nil,
                            rubberStampSeconds: Int = 5, now: Int = Clock.nowMillis()) async throws -> DashboardFigures {
        try await database.read { sql in
            var figures = DashboardFigures()
            let scope = SQLStatements.visible("client_id", to: clientIDs)
            let made: SQLQueryString = "created_at >= \(bind: range.start) AND created_at < \(bind: range.end)" + scope
            var decided: SQLQueryString = "reviewer_name IS NOT NULL AND reviewed_at >= \(bind: range.start) AND reviewed_at < \(bind: range.end)" + scope
            if let reviewerID { decided = decided + " AND reviewer_id = \(bind: reviewerID)" }
            if reviewerID == nil {
                for row in try await sql.raw("SELECT status, COUNT(*) AS n FROM generated_emails WHERE " + made + " GROUP BY status").all() {
                    figures.byStatus[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self)
                }
                figures.generated = figures.byStatus.values.reduce(0, +)
                let gate = try await sql.raw("SELECT COUNT(*) AS n FROM generated_emails WHERE gate_outcome = 'auto' AND " + made).first()
                figures.autoApproved = try gate?.decode(column: "n", as: Int.self) ?? 0
                if let row = try await sql.raw("SELECT AVG(CAST(quality_score AS DOUBLE PRECISION)) AS score FROM generated_emails WHERE " + made).first() {
                    figures.averageScore = try row.decode(column: "score", as: Double?.self)
                }
                for row in try await sql.raw("SELECT quality_score / 10 AS band, COUNT(*) AS n FROM generated_emails WHERE " + made + " GROUP BY quality_score / 10").all() {
                    figures.histogram[min(9, try row.decode(column: "band", as: Int.self))] += try row.decode(column: "n", as: Int.self)
                }
            }
            // Decisions, in order, once: counts, weeks, reviewers and streaks all come from this walk.
            let rows = try await sql.raw("""
                SELECT reviewer_name, status, final_body, review_ms, reviewed_at, rejection_reason FROM generated_emails WHERE
                """ + " " + decided + " ORDER BY reviewed_at, id").all()
            var reasons: [String: Int] = [:]
            var times: [Int] = []
            var weeks: [Int: Decisions] = [:]
            var reviewers: [String: (Decisions, Int, Int, Int, Int, Int, Int, Int)] = [:] // decisions, timeSum, timed, fast, streak, longest, today, week
            let startOfToday = QueueFilter.millis(ofDay: QueueFilter.day(ofMillis: now)) ?? now
            for row in rows {
                let status = try row.decode(column: "status", as: String.self)
                let finalBody = try row.decode(column: "final_body", as: String?.self)
                let edited = status == "approved_edited" || (status == "sent" && finalBody != nil)
                let rejected = status == "rejected"
                let name = try row.decode(column: "reviewer_name", as: String.self)
                let at = try row.decode(column: "reviewed_at", as: Int.self)
                let milliseconds = try row.decode(column: "review_ms", as: Int?.self)
                var counted = Decisions()
                if rejected { counted.rejected = 1 } else if edited { counted.edited = 1 } else { counted.approved = 1 }
                figures.decisions = figures.decisions + counted
                if rejected { reasons[try row.decode(column: "rejection_reason", as: String?.self) ?? "other", default: 0] += 1 }
                if let milliseconds { times.append(milliseconds) }
                let week = (at - range.start) / (7 * DashboardRange.day)
                weeks[week] = (weeks[week] ?? Decisions()) + counted
                var entry = reviewers[name] ?? (Decisions(), 0, 0, 0, 0, 0, 0, 0)
                entry.0 = entry.0 + counted
                if let milliseconds { entry.1 += milliseconds; entry.2 += 1 }
                let plainApproval = !rejected && !edited
                if plainApproval, let milliseconds, milliseconds < rubberStampSeconds * 1000 { entry.3 += 1 }
                entry.4 = plainApproval ? entry.4 + 1 : 0
                entry.5 = max(entry.5, entry.4)
                if at >= startOfToday { entry.6 += 1 }
                if at >= now - 7 * DashboardRange.day { entry.7 += 1 }
                reviewers[name] = entry
            }
            figures.reasons = reasons.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { ($0.key, $0.value) }
            if !times.isEmpty {
                figures.averageReviewSeconds = Double(times.reduce(0, +)) / Double(times.count) / 1000
                let sorted = times.sorted()
                let middle = sorted.count / 2
                figures.medianReviewSeconds = (sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2) / 1000
            }
            let weekCount = max(1, (range.end - range.start + 7 * DashboardRange.day - 1) / (7 * DashboardRange.day))
            figures.weeks = (0..<weekCount).map { Week(start: QueueFilter.day(ofMillis: range.start + $0 * 7 * DashboardRange.day), decisions: weeks[$0] ?? Decisions()) }
            figures.reviewers = reviewers.sorted { $0.key < $1.key }.map { name, entry in
                Reviewer(name: name, decisions: entry.0, averageSeconds: entry.2 == 0 ? nil : Double(entry.1) / Double(entry.2) / 1000,
                         fastApprovals: entry.3, longestApproveStreak: entry.5, today: entry.6, thisWeek: entry.7)
            }
            return figures
        }
    }
}

extension DashboardFigures.Decisions {
    static func + (lhs: Self, rhs: Self) -> Self {
        Self(approved: lhs.approved + rhs.approved, edited: lhs.edited + rhs.edited, rejected: lhs.rejected + rhs.rejected)
    }
}
