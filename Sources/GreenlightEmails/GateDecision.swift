import Foundation

/// What the rollout gate did with one new draft, and what the machine would have done (its verdict),
/// kept on the email so agreement and calibration can be measured in every phase.
public struct GateDecision: Sendable, Equatable {
    /// The machine's verdict: would it auto-approve this draft?
    public enum Verdict: String, Sendable {
        case auto, review
    }

    /// What happened to the draft.
    public enum Outcome: String, Sendable {
        /// Auto-approved.
        case auto
        /// Auto-approvable, held back for blind human review.
        case sampled
        /// Below the threshold, or in shadow: a human reviews it.
        case review
        /// Auto-approvable, but the kill switch is on: a human reviews it.
        case paused
        /// Scores high enough but must never be auto-approved (an unfilled variable, a grounding flag).
        case blocked
    }

    public var phase: RolloutPhase
    public var threshold: Int
    public var verdict: Verdict
    public var outcome: Outcome

    public init(phase: RolloutPhase, threshold: Int, verdict: Verdict, outcome: Outcome) {
        self.phase = phase
        self.threshold = threshold
        self.verdict = verdict
        self.outcome = outcome
    }

    /// The status the draft is stored with.
    public var status: ReviewStatus {
        switch outcome {
        case .auto: .approvedAuto
        case .sampled: .sampled
        case .review, .paused, .blocked: .pendingReview
        }
    }
}
