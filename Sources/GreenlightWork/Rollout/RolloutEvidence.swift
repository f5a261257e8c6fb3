import Foundation
import SQLKit
import GreenlightCore

/// Reads, from human decisions and the gate's records, the figures rollout decisions rest on:
/// readiness for the next phase, machine/human agreement and score calibration. Human-reviewed means
/// decided by a person (`reviewer_name` set): approved, edited, rejected — and sent after one of those.
public struct RolloutEvidence: Sendable {
    /// Human decisions over a window, counted.
    public struct HumanDecisions: Sendable, Equatable {
        public var reviewed = 0
        public var approved = 0
        public var edited = 0
        public var rejected = 0
        /// Review times, in seconds: how many, their sum and their sum of squares.
        public var timed = 0
        public var secondsSum = 0.0
        public var secondsSquares = 0.0
        /// Rejections by reason.
        public var reasons: [String: Int] = [:]
    }

    /// The gate's decisions on drafts created over a window.
    public struct GateCounts: Sendable, Equatable {
        public var drafts = 0
        public var autoApproved = 0
    }

    /// Agreement between the gate's verdict and the human decision: shadow verdicts and the blind sample.
    public struct Agreement: Sendable, Equatable {
        public var shadow: CohenKappa
        public var sampled: CohenKappa
        public var all: CohenKappa { CohenKappa(a: shadow.a + sampled.a, b: shadow.b + sampled.b, c: shadow.c + sampled.c, d: shadow.d + sampled.d) }
    }

    /// What came back from the emails sent over a window, auto-approved against human-reviewed
    /// (sampled emails count as human-reviewed: a person read them).
    public struct Replies: Sendable, Equatable {
        public var autoSent = 0
        public var autoPositive = 0
        public var humanSent = 0
        public var humanPositive = 0

        public init(autoSent: Int = 0, autoPositive: Int = 0, humanSent: Int = 0, humanPositive: Int = 0) {
            self.autoSent = autoSent
            self.autoPositive = autoPositive
            self.humanSent = humanSent
            self.humanPositive = humanPositive
        }

        /// Positive reply rate, auto-approved minus human-reviewed, with Newcombe's interval.
        public var difference: NewcombeInterval {
            NewcombeInterval(firstSuccesses: autoPositive, firstTrials: autoSent, secondSuccesses: humanPositive, secondTrials: humanSent)
        }
    }

    /// How many days of sent emails the reply criterion reads: replies come in over weeks.
    public static let replyWindowDays = 60

    let database: Database
    let clock: TimeSource

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    static let dayMillis = 86_400_000

    /// The statuses a human left, as approved / edited / rejected.
    static let approvedSQL: SQLQueryString = "(status = 'approved' OR (status = 'sent' AND final_body IS NULL))"
    static let editedSQL: SQLQueryString = "(status = 'approved_edited' OR (status = 'sent' AND final_body IS NOT NULL))"

    /// Human decisions on the client's drafts reviewed since `since` (ms), and before `until` when given.
    public func humanDecisions(clientID: Int, since: Int, until: Int? = nil) async throws -> HumanDecisions {
        try await database.read { sql in
            var where_: SQLQueryString = "WHERE client_id = \(bind: clientID) AND reviewer_name IS NOT NULL AND reviewed_at >= \(bind: since)"
            if let until { where_ = where_ + " AND reviewed_at < \(bind: until)" }
            let row = try await sql.raw(
                """
                SELECT COUNT(*) AS reviewed,
                CAST(COALESCE(SUM(CASE WHEN \(Self.approvedSQL) THEN 1 ELSE 0 END), 0) AS BIGINT) AS approved,
                CAST(COALESCE(SUM(CASE WHEN \(Self.editedSQL) THEN 1 ELSE 0 END), 0) AS BIGINT) AS edited,
                CAST(COALESCE(SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END), 0) AS BIGINT) AS rejected,
                COUNT(review_ms) AS timed,
                COALESCE(SUM(CAST(review_ms AS DOUBLE PRECISION) / 1000), 0.0) AS seconds_sum,
                COALESCE(SUM((CAST(review_ms AS DOUBLE PRECISION) / 1000) * (CAST(review_ms AS DOUBLE PRECISION) / 1000)), 0.0) AS seconds_squares
                FROM generated_emails \(where_)
                """
            ).first()
            var decisions = HumanDecisions()
            if let row {
                decisions.reviewed = try row.decode(column: "reviewed", as: Int.self)
                decisions.approved = try row.decode(column: "approved", as: Int.self)
                decisions.edited = try row.decode(column: "edited", as: Int.self)
                decisions.rejected = try row.decode(column: "rejected", as: Int.self)
                decisions.timed = try row.decode(column: "timed", as: Int.self)
                decisions.secondsSum = try row.decode(column: "seconds_sum", as: Double.self)
                decisions.secondsSquares = try row.decode(column: "seconds_squares", as: Double.self)
            }
            for reason in try await sql.raw(
                """
                SELECT rejection_reason, COUNT(*) AS n FROM generated_emails \(where_) AND status = 'rejected' GROUP BY rejection_reason
                """
            ).all() {
                decisions.reasons[try reason.decode(column: "rejection_reason", as: String?.self) ?? "other", default: 0] += try reason.decode(
                    column: "n", as: Int.self)
            }
            return decisions
        }
    }

    /// The gate's outcomes on the client's drafts created since `since` (ms), in partial or full.
    public func gateCounts(clientID: Int, since: Int) async throws -> GateCounts {
        try await database.read { sql in
            guard
                let row = try await sql.raw(
                    """
                    SELECT COUNT(*) AS drafts, CAST(COALESCE(SUM(CASE WHEN gate_outcome = 'auto' THEN 1 ELSE 0 END), 0) AS BIGINT) AS auto_approved
                    FROM generated_emails WHERE client_id = \(bind: clientID) AND created_at >= \(bind: since) AND gate_phase IN ('partial', 'full')
                    """
                ).first()
            else { return GateCounts() }
            return GateCounts(
                drafts: try row.decode(column: "drafts", as: Int.self), autoApproved: try row.decode(column: "auto_approved", as: Int.self))
        }
    }

    /// Agreement between the gate's verdict (would auto-approve: yes/no) and the human (approved or
    /// edited: yes; rejected: no), over drafts reviewed since `since`.
    public func agreement(clientID: Int, since: Int) async throws -> Agreement {
        try await database.read { sql in
            let rows = try await sql.raw(
                """
                SELECT CASE WHEN gate_outcome = 'sampled' THEN 1 ELSE 0 END AS from_sample, gate_verdict,
                CASE WHEN status = 'rejected' THEN 0 ELSE 1 END AS human_yes, COUNT(*) AS n
                FROM generated_emails
                WHERE client_id = \(bind: clientID) AND reviewer_name IS NOT NULL AND reviewed_at >= \(bind: since) AND gate_verdict IS NOT NULL
                AND (gate_outcome = 'sampled' OR gate_phase = 'shadow')
                GROUP BY CASE WHEN gate_outcome = 'sampled' THEN 1 ELSE 0 END, gate_verdict, CASE WHEN status = 'rejected' THEN 0 ELSE 1 END
                """
            ).all()
            var cells = [[0, 0, 0, 0], [0, 0, 0, 0]]
            for row in rows {
                let sample = try row.decode(column: "from_sample", as: Int.self)
                let machineYes = try row.decode(column: "gate_verdict", as: String.self) == "auto"
                let humanYes = try row.decode(column: "human_yes", as: Int.self) == 1
                let cell = machineYes ? (humanYes ? 0 : 1) : (humanYes ? 2 : 3)
                cells[sample][cell] += try row.decode(column: "n", as: Int.self)
            }
            return Agreement(
                shadow: CohenKappa(a: cells[0][0], b: cells[0][1], c: cells[0][2], d: cells[0][3]),
                sampled: CohenKappa(a: cells[1][0], b: cells[1][1], c: cells[1][2], d: cells[1][3]))
        }
    }

    /// Human decisions by quality score, since `since`, for calibration; and the emails sent since
    /// then by score, with how many got a reply (auto-replies are not replies).
    public func calibration(clientID: Int, since: Int) async throws -> CalibrationTable {
        try await database.read { sql in
            let rows = try await sql.raw(
                """
                SELECT quality_score,
                CAST(SUM(CASE WHEN \(Self.approvedSQL) THEN 1 ELSE 0 END) AS BIGINT) AS approved,
                CAST(SUM(CASE WHEN \(Self.editedSQL) THEN 1 ELSE 0 END) AS BIGINT) AS edited,
                CAST(SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END) AS BIGINT) AS rejected
                FROM generated_emails WHERE client_id = \(bind: clientID) AND reviewer_name IS NOT NULL AND reviewed_at >= \(bind: since)
                GROUP BY quality_score
                """
            ).all()
            var counts: [Int: CalibrationCounts] = [:]
            for row in rows {
                counts[try row.decode(column: "quality_score", as: Int.self)] = CalibrationCounts(
                    approved: try row.decode(column: "approved", as: Int.self), edited: try row.decode(column: "edited", as: Int.self),
                    rejected: try row.decode(column: "rejected", as: Int.self))
            }
            for row in try await sql.raw(
                """
                SELECT e.quality_score, COUNT(*) AS sent, COUNT(o.replied_at) AS replied
                FROM generated_emails e LEFT JOIN email_outcomes o ON o.email_id = e.id
                WHERE e.client_id = \(bind: clientID) AND e.sent_at >= \(bind: since) GROUP BY e.quality_score
                """
            ).all() {
                let score = try row.decode(column: "quality_score", as: Int.self)
                counts[score, default: CalibrationCounts()].sent = try row.decode(column: "sent", as: Int.self)
                counts[score, default: CalibrationCounts()].replied = try row.decode(column: "replied", as: Int.self)
            }
            return CalibrationTable(countsByScore: counts)
        }
    }

    /// Positive replies to the client's emails sent since `since` (ms), auto-approved against
    /// human-reviewed.
    public func replies(clientID: Int, since: Int) async throws -> Replies {
        let positive = InterestLabel.positive.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return try await database.read { sql in
            var replies = Replies()
            for row in try await sql.raw(
                """
                SELECT CASE WHEN e.reviewer_id IS NULL THEN 1 ELSE 0 END AS auto, COUNT(*) AS sent,
                CAST(COALESCE(SUM(CASE WHEN o.interest IN (\(unsafeRaw: positive)) THEN 1 ELSE 0 END), 0) AS BIGINT) AS positive
                FROM generated_emails e LEFT JOIN email_outcomes o ON o.email_id = e.id
                WHERE e.client_id = \(bind: clientID) AND e.sent_at >= \(bind: since)
                GROUP BY CASE WHEN e.reviewer_id IS NULL THEN 1 ELSE 0 END
                """
            ).all() {
                let sent = try row.decode(column: "sent", as: Int.self)
                let positive = try row.decode(column: "positive", as: Int.self)
                if try row.decode(column: "auto", as: Int.self) == 1 {
                    (replies.autoSent, replies.autoPositive) = (sent, positive)
                } else {
                    (replies.humanSent, replies.humanPositive) = (sent, positive)
                }
            }
            return replies
        }
    }

    /// The start of a window of `days` days ending now.
    public func since(days: Int) -> Int {
        clock.nowMillis() - days * Self.dayMillis
    }
}
