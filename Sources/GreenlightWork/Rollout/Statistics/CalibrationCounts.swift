/// How humans decided the drafts of one quality score (or one band of scores): approved as
/// written, approved after an edit, or rejected — one row of
/// `SELECT quality_score, … GROUP BY quality_score`.
public struct CalibrationCounts: Sendable, Hashable {
    /// Approved as written.
    public var approved: Int
    /// Approved after a human edit (`approved_edited`).
    public var edited: Int
    /// Rejected.
    public var rejected: Int

    /// Counts from the three decisions; negative counts are treated as 0.
    public init(approved: Int = 0, edited: Int = 0, rejected: Int = 0) {
        self.approved = max(approved, 0)
        self.edited = max(edited, 0)
        self.rejected = max(rejected, 0)
    }

    /// Every human-decided draft.
    public var total: Int { approved + edited + rejected }

    /// Drafts a human let through, edited or not — what calibration counts as "approved".
    public var accepted: Int { approved + edited }

    /// The sum of two sets of counts.
    public static func + (lhs: CalibrationCounts, rhs: CalibrationCounts) -> CalibrationCounts {
        CalibrationCounts(approved: lhs.approved + rhs.approved, edited: lhs.edited + rhs.edited, rejected: lhs.rejected + rhs.rejected)
    }
}
