import Foundation
import GreenlightEmails

/// How far a client is from its next phase, criterion by criterion: each with its value,
/// target, sample size and 95% interval. A criterion counts as met only when its interval clears the
/// target; the client is ready when every criterion is met. Full has no next phase.
public struct RolloutReadiness: Sendable, Equatable {
    /// The phase these criteria lead to (nil in full).
    public var next: RolloutPhase?
    public var criteria: [Criterion]
    /// A readable target for each criterion, by name ("> 95%", "≥ 200").
    public var targets: [String: String]

    /// Whether every criterion is met.
    public var ready: Bool { next != nil && criteria.allSatisfy { $0.status == .met } }

    /// Measures the client's readiness for the phase after its current one.
    public static func measure(_ state: RolloutState, evidence: RolloutEvidence) async throws -> RolloutReadiness {
        let settings = state.settings
        func percent(_ bp: Int) -> String { RolloutSettingsFields.fraction(bp * 100) + "%" }
        switch state.phase {
        case .shadow:
            let decisions = try await evidence.humanDecisions(clientID: state.clientID, since: evidence.since(days: settings.shadowWindowDays))
            let topReason = decisions.reasons.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }
            let reasonCriterion: Criterion
            if let topReason, decisions.rejected > 0 {
                reasonCriterion = Criterion(
                    name: "reason_share",
                    label: "Largest rejection reason (\(RejectionReason(rawValue: topReason.key)?.label ?? topReason.key)) among rejections",
                    rate: WilsonInterval(successes: topReason.value, trials: decisions.rejected),
                    target: Double(settings.reasonShareLimitBP) / 10_000, direction: .below)
            } else {
                reasonCriterion = Criterion(
                    name: "reason_share", label: "Largest rejection reason among rejections (none yet)",
                    exact: 0, target: Double(settings.reasonShareLimitBP) / 10_000, direction: .below)
            }
            return RolloutReadiness(
                next: .partial,
                criteria: [
                    Criterion(
                        name: "reviewed", label: "Human-reviewed drafts in the last \(settings.shadowWindowDays) days",
                        value: Double(decisions.reviewed), target: Double(settings.minReviewed) - 0.5, direction: .above,
                        count: decisions.reviewed, low: Double(decisions.reviewed), high: Double(decisions.reviewed)),
                    Criterion(
                        name: "approval_rate", label: "Approval rate (edits count as approvals)",
                        rate: WilsonInterval(successes: decisions.approved + decisions.edited, trials: decisions.reviewed),
                        target: Double(settings.approvalTargetBP) / 10_000, direction: .above),
                    Criterion(
                        name: "edit_rate", label: "Edit rate",
                        rate: WilsonInterval(successes: decisions.edited, trials: decisions.reviewed),
                        target: Double(settings.editLimitBP) / 10_000, direction: .below),
                    Criterion(
                        name: "review_time", label: "Average review time (seconds)",
                        mean: MeanInterval(count: decisions.timed, sum: decisions.secondsSum, sumOfSquares: decisions.secondsSquares),
                        target: Double(settings.reviewSecondsLimit), direction: .below),
                    reasonCriterion,
                ],
                targets: [
                    "reviewed": "≥ \(settings.minReviewed)", "approval_rate": "> " + percent(settings.approvalTargetBP),
                    "edit_rate": "< " + percent(settings.editLimitBP), "review_time": "< \(settings.reviewSecondsLimit) s",
                    "reason_share": "≤ " + percent(settings.reasonShareLimitBP),
                ])
        case .partial:
            let since = evidence.since(days: settings.partialWindowDays)
            let gate = try await evidence.gateCounts(clientID: state.clientID, since: since)
            let decisions = try await evidence.humanDecisions(clientID: state.clientID, since: since)
            let replies = try await evidence.replies(clientID: state.clientID, since: evidence.since(days: RolloutEvidence.replyWindowDays))
            let margin = Double(settings.replyMarginBP) / 10_000
            return RolloutReadiness(
                next: .full,
                criteria: [
                    Criterion(
                        name: "auto_rate", label: "Auto-approval rate of new drafts in the last \(settings.partialWindowDays) days",
                        rate: WilsonInterval(successes: gate.autoApproved, trials: gate.drafts),
                        target: Double(settings.autoRateTargetBP) / 10_000, direction: .above),
                    Criterion(
                        name: "rejection_rate", label: "Rejection rate among human-reviewed drafts",
                        rate: WilsonInterval(successes: decisions.rejected, trials: decisions.reviewed),
                        target: Double(settings.partialRejectionLimitBP) / 10_000, direction: .below),
                    Criterion(
                        name: "reply_difference",
                        label:
                            "Positive reply rate, auto-approved minus human-reviewed emails sent in the last \(RolloutEvidence.replyWindowDays) days "
                            + "(\(replies.autoPositive) of \(replies.autoSent) against \(replies.humanPositive) of \(replies.humanSent))",
                        difference: replies.difference, margin: margin),
                ],
                targets: [
                    "auto_rate": "> " + percent(settings.autoRateTargetBP), "rejection_rate": "< " + percent(settings.partialRejectionLimitBP),
                    "reply_difference": "> −" + RolloutSettingsFields.fraction(settings.replyMarginBP * 100) + " pt",
                ])
        case .full:
            return RolloutReadiness(next: nil, criteria: [], targets: [:])
        }
    }
}
