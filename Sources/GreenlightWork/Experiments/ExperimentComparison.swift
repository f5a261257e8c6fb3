import Foundation
import SQLKit
import GreenlightCore

/// How the two versions of a prompt experiment did, on the drafts each wrote: approval, edit and
/// rejection rates among the drafts people reviewed, and reply and positive reply rates among those
/// sent — each with its Wilson interval, and the difference (variant − control) with Newcombe's.
/// A difference is decided only when its whole interval is on one side of zero; until then it is
/// "not enough evidence yet".
public struct ExperimentComparison: Sendable, Equatable {
    /// What one arm's drafts came to.
    public struct Counts: Sendable, Equatable {
        public var drafts = 0
        public var reviewed = 0
        public var approved = 0
        public var edited = 0
        public var rejected = 0
        public var sent = 0
        public var replied = 0
        public var positive = 0

        public init(
            drafts: Int = 0, reviewed: Int = 0, approved: Int = 0, edited: Int = 0, rejected: Int = 0, sent: Int = 0, replied: Int = 0,
            positive: Int = 0
        ) {
            self.drafts = drafts
            self.reviewed = reviewed
            self.approved = approved
            self.edited = edited
            self.rejected = rejected
            self.sent = sent
            self.replied = replied
            self.positive = positive
        }
    }

    /// Where a difference stands.
    public enum Verdict: String, Sendable, Equatable {
        case variantHigher, controlHigher, notEnoughEvidence
    }

    /// One rate compared.
    public struct Row: Sendable, Equatable {
        public var name: String
        public var label: String
        public var control: WilsonInterval
        public var variant: WilsonInterval
        public var difference: NewcombeInterval

        public var verdict: Verdict {
            guard difference.difference != nil else { return .notEnoughEvidence }
            if difference.low > 0 { return .variantHigher }
            if difference.high < 0 { return .controlHigher }
            return .notEnoughEvidence
        }
    }

    public var experiment: PromptExperiment
    public var control: Counts
    public var variant: Counts

    public init(experiment: PromptExperiment, control: Counts, variant: Counts) {
        self.experiment = experiment
        self.control = control
        self.variant = variant
    }

    /// The five rates, in the order pages show them.
    public var rows: [Row] {
        func row(_ name: String, _ label: String, _ successes: (Counts) -> Int, _ trials: (Counts) -> Int) -> Row {
            let a = WilsonInterval(successes: successes(control), trials: trials(control))
            let b = WilsonInterval(successes: successes(variant), trials: trials(variant))
            return Row(name: name, label: label, control: a, variant: b, difference: NewcombeInterval(first: b, second: a))
        }
        return [
            row("approval_rate", "Approval rate (edits count as approvals), of reviewed drafts", { $0.approved + $0.edited }, \.reviewed),
            row("edit_rate", "Edit rate, of reviewed drafts", \.edited, \.reviewed),
            row("rejection_rate", "Rejection rate, of reviewed drafts", \.rejected, \.reviewed),
            row("reply_rate", "Reply rate, of sent emails", \.replied, \.sent),
            row("positive_reply_rate", "Positive reply rate, of sent emails", \.positive, \.sent),
        ]
    }

    /// Counts the experiment's drafts, arm by arm.
    public static func read(_ database: Database, experiment: PromptExperiment) async throws -> ExperimentComparison {
        let positive = InterestLabel.positive.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let rows = try await database.read { sql in
            try await sql.raw(
                """
                SELECT e.experiment_arm AS arm, COUNT(*) AS drafts,
                CAST(COALESCE(SUM(CASE WHEN e.reviewer_name IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS reviewed,
                CAST(COALESCE(SUM(CASE WHEN e.reviewer_name IS NOT NULL AND e.final_body IS NULL AND e.status IN ('approved', 'sent') THEN 1 ELSE 0 END), 0) AS BIGINT) AS approved,
                CAST(COALESCE(SUM(CASE WHEN e.reviewer_name IS NOT NULL AND e.final_body IS NOT NULL AND e.status IN ('approved_edited', 'sent') THEN 1 ELSE 0 END), 0) AS BIGINT) AS edited,
                CAST(COALESCE(SUM(CASE WHEN e.reviewer_name IS NOT NULL AND e.status = 'rejected' THEN 1 ELSE 0 END), 0) AS BIGINT) AS rejected,
                COUNT(e.sent_at) AS sent, COUNT(o.replied_at) AS replied,
                CAST(COALESCE(SUM(CASE WHEN o.interest IN (\(unsafeRaw: positive)) THEN 1 ELSE 0 END), 0) AS BIGINT) AS positive
                FROM generated_emails e LEFT JOIN email_outcomes o ON o.email_id = e.id
                WHERE e.experiment_id = \(bind: experiment.id) GROUP BY e.experiment_arm
                """
            ).all()
        }
        var counts: [PromptExperiment.Arm: Counts] = [:]
        for row in rows {
            guard let arm = PromptExperiment.Arm(rawValue: try row.decode(column: "arm", as: String?.self) ?? "") else { continue }
            counts[arm] = Counts(
                drafts: try row.decode(column: "drafts", as: Int.self), reviewed: try row.decode(column: "reviewed", as: Int.self),
                approved: try row.decode(column: "approved", as: Int.self), edited: try row.decode(column: "edited", as: Int.self),
                rejected: try row.decode(column: "rejected", as: Int.self), sent: try row.decode(column: "sent", as: Int.self),
                replied: try row.decode(column: "replied", as: Int.self), positive: try row.decode(column: "positive", as: Int.self))
        }
        return ExperimentComparison(experiment: experiment, control: counts[.control] ?? Counts(), variant: counts[.variant] ?? Counts())
    }
}
