import Foundation
import GreenlightCore
import GreenlightEmails

/// One client's rollout settings: the gate's thresholds and sample rate, the criteria for
/// moving on, and the demotion guard's window and limit. Rates are kept in basis points (1/10,000)
/// so both databases store them exactly; the API and pages speak in fractions and percentages.
public struct RolloutSettings: Sendable, Equatable, Codable {
    /// Drafts scoring at least this are auto-approved in partial (and judged by it in shadow).
    public var partialThreshold = 90
    /// Drafts scoring at least this are auto-approved in full.
    public var fullThreshold = 85
    /// Share of auto-approvable drafts held back for blind human review.
    public var sampleRateBP = 500
    /// Makes each client's sample its own, and reproducible.
    public var sampleSeed = ""
    /// Shadow → partial: at least this many human-reviewed drafts …
    public var minReviewed = 200
    /// … approved above this rate …
    public var approvalTargetBP = 9500
    /// … edited below this rate …
    public var editLimitBP = 500
    /// … reviewed faster than this on average …
    public var reviewSecondsLimit = 60
    /// … with no rejection reason above this share of rejections …
    public var reasonShareLimitBP = 3000
    /// … over this many days.
    public var shadowWindowDays = 30
    /// Partial → full: auto-approval rate above this …
    public var autoRateTargetBP = 7000
    /// … and rejection among human-reviewed drafts below this …
    public var partialRejectionLimitBP = 500
    /// … over this many days.
    public var partialWindowDays = 14
    /// Demotion guard: the last this-many human-reviewed drafts …
    public var demotionWindow = 100
    /// … with rejections above this share drop the client one phase.
    public var demotionLimitBP = 1000
    /// Partial → full: auto-approved emails' positive reply rate may be below human-reviewed ones'
    /// by at most this (100 = 1 percentage point), judged by the 95% interval of the difference.
    public var replyMarginBP = 100
    /// Outcome guard: the last this-many auto-approved emails sent in the current phase …
    public var outcomeWindow = 200
    /// … with bounces above this share …
    public var bounceLimitBP = 500
    /// … or unsubscribes above this share drop the client one phase.
    public var unsubscribeLimitBP = 200

    public init() {}

    /// The threshold the gate applies in `phase` (shadow is judged by partial's, the next one).
    public func threshold(in phase: RolloutPhase) -> Int {
        phase == .full ? fullThreshold : partialThreshold
    }

    /// Checks every value; throws an ``InputError`` naming the first that cannot be used.
    public func validated() throws(InputError) -> RolloutSettings {
        func score(_ value: Int, _ field: String) throws(InputError) {
            guard (0...100).contains(value) else { throw InputError(field: field, "\(field) must be a score from 0 to 100, got \(value)") }
        }
        func rate(_ value: Int, _ field: String) throws(InputError) {
            guard (0...10_000).contains(value) else { throw InputError(field: field, "\(field) must be between 0 and 1 (0% and 100%)") }
        }
        func positive(_ value: Int, _ field: String, max: Int) throws(InputError) {
            guard (1...max).contains(value) else { throw InputError(field: field, "\(field) must be a whole number from 1 to \(max), got \(value)") }
        }
        try score(partialThreshold, "partial_threshold")
        try score(fullThreshold, "full_threshold")
        for (value, field) in [
            (sampleRateBP, "sample_rate"), (approvalTargetBP, "approval_target"), (editLimitBP, "edit_limit"),
            (reasonShareLimitBP, "reason_share_limit"), (autoRateTargetBP, "auto_rate_target"),
            (partialRejectionLimitBP, "partial_rejection_limit"), (demotionLimitBP, "demotion_limit"), (replyMarginBP, "reply_margin"),
            (bounceLimitBP, "bounce_limit"), (unsubscribeLimitBP, "unsubscribe_limit"),
        ] {
            try rate(value, field)
        }
        try positive(minReviewed, "min_reviewed", max: 1_000_000)
        try positive(reviewSecondsLimit, "review_seconds_limit", max: 86_400)
        try positive(shadowWindowDays, "shadow_window_days", max: 3_650)
        try positive(partialWindowDays, "partial_window_days", max: 3_650)
        try positive(demotionWindow, "demotion_window", max: 100_000)
        try positive(outcomeWindow, "outcome_window", max: 100_000)
        return self
    }
}
