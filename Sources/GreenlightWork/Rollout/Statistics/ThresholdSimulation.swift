/// What an auto-approval threshold T would have done to the drafts humans already decided:
/// how many score at or above T (and would have gone out without review), and how many of
/// those the humans approved, edited or rejected.
public struct ThresholdSimulation: Sendable, Hashable {
    /// The simulated threshold: drafts scoring `>= threshold` would be auto-approved.
    public let threshold: Int
    /// Every human-decided draft, at any score.
    public let decidedCount: Int
    /// The human decisions on the drafts at or above the threshold.
    public let atOrAbove: CalibrationCounts
    /// Drafts at or above the threshold among all decided drafts: the auto-approval share.
    public let autoApprovalShare: WilsonInterval
    /// Rejected among the drafts at or above the threshold: what would have gone out that a
    /// human refused.
    public let rejectionRate: WilsonInterval

    /// The simulation of `threshold` over `decidedCount` drafts, `atOrAbove` of them at or above it.
    public init(threshold: Int, decidedCount: Int, atOrAbove: CalibrationCounts) {
        self.threshold = threshold
        self.decidedCount = decidedCount
        self.atOrAbove = atOrAbove
        self.autoApprovalShare = WilsonInterval(successes: atOrAbove.total, trials: decidedCount)
        self.rejectionRate = WilsonInterval(successes: atOrAbove.rejected, trials: atOrAbove.total)
    }
}
