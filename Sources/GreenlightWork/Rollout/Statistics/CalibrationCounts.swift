/// How humans decided the drafts of one quality score (or one band of scores): approved as
/// written, approved after an edit, or rejected — one row of
/// `SELECT quality_score, … GROUP BY quality_score` — and how many emails of that score were
/// sent and got a reply, so the table shows whether the score predicts replies too.
public struct CalibrationCounts: Sendable, Hashable {
    /// Approved as written.
    public var approved: Int
    /// Approved after a human edit (`approved_edited`).
    public var edited: Int
    /// Rejected.
    public var rejected: Int
    /// Emails sent (whoever approved them).
    public var sent: Int
    /// Sent emails that got a reply (not an auto-reply).
    public var replied: Int

    /// Counts from the three decisions and the replies; negative counts are treated as 0.
    public init(approved: Int = 0, edited: Int = 0, rejected: Int = 0, sent: Int = 0, replied: Int = 0) {
        self.approved = max(approved, 0)
        self.edited = max(edited, 0)
        self.rejected = max(rejected, 0)
        self.sent = max(sent, 0)
        self.replied = max(replied, 0)
    }

    /// Every human-decided draft.
    public var total: Int { approved + edited + rejected }

    /// Drafts a human let through, edited or not — what calibration counts as "approved".
    public var accepted: Int { approved + edited }

    /// The sum of two sets of counts.
    public static func + (lhs: CalibrationCounts, rhs: CalibrationCounts) -> CalibrationCounts {
        CalibrationCounts(
            approved: lhs.approved + rhs.approved, edited: lhs.edited + rhs.edited, rejected: lhs.rejected + rhs.rejected,
            sent: lhs.sent + rhs.sent, replied: lhs.replied + rhs.replied)
    }
}
