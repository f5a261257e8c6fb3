import Foundation
import GreenlightCore
import GreenlightEmails

/// The rollout gate, applied when a draft is scored: in shadow every draft goes to a human
/// (the machine's verdict is still recorded); in partial and full a draft scoring at least the phase's
/// threshold is auto-approved, except a reproducible random sample held for blind review, and except
/// while the kill switch is on or when the draft carries a reason never to be auto-approved.
public struct RolloutGate: Sendable {
    public var phase: RolloutPhase
    public var settings: RolloutSettings
    /// The client's or the global kill switch.
    public var paused: Bool

    public init(phase: RolloutPhase, settings: RolloutSettings, paused: Bool) {
        self.phase = phase
        self.settings = settings
        self.paused = paused
    }

    /// The decision for a draft with this score. `autoBlock` is why it may never be auto-approved
    /// (nil when nothing stops it); `emailID` feeds the sample.
    public func decide(score: Int, autoBlock: String?, emailID: Int) -> GateDecision {
        let threshold = settings.threshold(in: phase)
        let highEnough = score >= threshold
        let verdict: GateDecision.Verdict = highEnough && autoBlock == nil ? .auto : .review
        let outcome: GateDecision.Outcome
        if phase == .shadow || !highEnough {
            outcome = .review
        } else if autoBlock != nil {
            outcome = .blocked
        } else if paused {
            outcome = .paused
        } else if SampleDraw.isSampled(emailID: emailID, seed: settings.sampleSeed, rateBP: settings.sampleRateBP) {
            outcome = .sampled
        } else {
            outcome = .auto
        }
        return GateDecision(phase: phase, threshold: threshold, verdict: verdict, outcome: outcome)
    }

    /// The name auto-approvals and automatic demotions are recorded under.
    public static let actor = Reviewer(id: nil, name: "Greenlight (rollout gate)")

    /// Why a scored draft may never be auto-approved: an unfilled variable, a `{{…}}` left in the text, words the grounding check
    /// flagged; nil when nothing stops it.
    public static func autoBlock(for score: QualityScore, grounding: [GroundingFlag] = []) -> String? {
        var reasons: [String] = []
        if score.deductions.contains(where: { $0.code == "unfilled" }) { reasons.append("a template variable was left unfilled") }
        if score.deductions.contains(where: { $0.code == "placeholder" }) { reasons.append("a {{…}} that is no variable is left in the text") }
        if !grounding.isEmpty {
            let words = grounding.flatMap(\.words).map { "“\($0)”" }.joined(separator: ", ")
            reasons.append("the grounding check found unsupported words (\(words))")
        }
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }
}
