import Foundation
import GreenlightWork

/// How rollout figures read on pages and in the API: rates as percentages, intervals in brackets,
/// criteria statuses in words.
enum RolloutFigures {
    static func percent(_ value: Double?) -> String {
        guard let value else { return "—" }
        return String(format: "%.1f%%", value * 100)
    }

    static func number(_ value: Double?) -> String {
        guard let value else { return "—" }
        return value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// The criterion's value as people read it (a rate in %, a time in seconds, a count).
    static func value(_ criterion: Criterion, _ raw: Double?) -> String {
        switch criterion.name {
        case "reviewed": number(raw)
        case "review_time": raw.map { String(format: "%.1f s", $0) } ?? "—"
        case "reply_difference": raw.map { RolloutReadiness.figure(criterion, $0) } ?? "—"
        default: percent(raw)
        }
    }

    /// The criterion's interval in words, on the side that decides it: "95% sure it is at least 93.6%"
    /// (both sides for a criterion decided by its interval alone).
    static func intervalWords(_ criterion: Criterion) -> String {
        guard criterion.value != nil, criterion.name != "reviewed" else { return "" }
        if criterion.decidedByInterval, let low = criterion.low, let high = criterion.high {
            return "95% sure it is between \(value(criterion, low)) and \(value(criterion, high))"
        }
        switch criterion.direction {
        case .above: return criterion.low.map { "95% sure it is at least \(value(criterion, $0))" } ?? ""
        case .below: return criterion.high.map { "95% sure it is at most \(value(criterion, $0))" } ?? ""
        }
    }

    static func status(_ status: Criterion.Status) -> String {
        switch status {
        case .met: "met"
        case .notEnoughEvidence: "not enough evidence yet"
        case .notMet: "not met"
        }
    }

    static func kappa(_ agreement: CohenKappa) -> String {
        guard agreement.count > 0 else { return "no decisions yet" }
        guard let kappa = agreement.kappa else { return "not enough variety (every decision in one cell)" }
        return String(format: "κ = %.2f", kappa)
    }
}
