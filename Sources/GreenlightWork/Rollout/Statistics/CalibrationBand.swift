/// One 10-point score band of a ``CalibrationTable`` (0–9, 10–19, …, 80–89, 90–100): how many
/// drafts humans decided there and the share they approved, and the share of its sent emails
/// that got a reply, each with its Wilson interval.
public struct CalibrationBand: Sendable, Hashable {
    /// The lowest score in the band.
    public let lowestScore: Int
    /// The highest score in the band (100 for the last band, which is 11 points wide).
    public let highestScore: Int
    /// The human decisions on drafts scored in the band.
    public let counts: CalibrationCounts
    /// Approved or approved after an edit, among all decided drafts in the band.
    public let approvalRate: WilsonInterval
    /// Replied among the emails sent from the band.
    public let replyRate: WilsonInterval

    /// A band from its score range and counts.
    public init(lowestScore: Int, highestScore: Int, counts: CalibrationCounts) {
        self.lowestScore = lowestScore
        self.highestScore = highestScore
        self.counts = counts
        self.approvalRate = WilsonInterval(successes: counts.accepted, trials: counts.total)
        self.replyRate = WilsonInterval(successes: counts.replied, trials: counts.sent)
    }

    /// The band as a person reads it: "90–100".
    public var label: String { "\(lowestScore)–\(highestScore)" }
}
