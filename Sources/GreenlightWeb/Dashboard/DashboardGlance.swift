import Foundation
import GreenlightCore
import GreenlightWork
import GreenlightEmails

/// The dashboard's first screen for managers — "are we OK?": what waits for review, what was decided
/// today, and each client's approval, edit and rejection rates over its rollout window against its
/// rollout targets, with the direction since a week before. The rates are the rollout page's own
/// (``RolloutEvidence/humanDecisions(clientID:since:until:)`` over the same window), so the two agree.
struct DashboardGlance {
    /// One client's line.
    struct ClientRow {
        var id: Int
        var name: String
        var phase: String
        /// "last 30 days".
        var window: String
        var decisions: Int
        var approval: String
        var edit: String
        var rejection: String
        /// What each rate must be for the client's rollout ("> 95%"), nil where the phase sets none.
        var approvalTarget: String?
        var editTarget: String?
        var rejectionTarget: String?
        /// "↑ 0.4 pt" since the same window a week before; nil when either has no decision.
        var approvalTrend: String?
        var editTrend: String?
        var rejectionTrend: String?
        var ok: Bool
    }

    var sentence: String
    var ok: Bool
    var awaiting: String
    var decidedToday: String
    var clients: [ClientRow]

    static let weekMillis = 7 * 86_400_000

    static func read(database: Database, clock: TimeSource, states: [RolloutState], clientIDs: [Int]?, alerts: Int) async throws -> DashboardGlance {
        let evidence = RolloutEvidence(database: database, clock: clock)
        let now = clock.nowMillis()
        var rows: [ClientRow] = []
        var problems: [String] = []
        for state in states {
            let settings = state.settings
            let days = state.phase == .shadow ? settings.shadowWindowDays : settings.partialWindowDays
            let current = try await evidence.humanDecisions(clientID: state.clientID, since: now - days * 86_400_000)
            let before = try await evidence.humanDecisions(
                clientID: state.clientID, since: now - days * 86_400_000 - weekMillis, until: now - weekMillis)
            let rates = Self.rates(current), earlier = Self.rates(before)
            func bp(_ basisPoints: Int) -> Double { Double(basisPoints) / 10_000 }
            var row = ClientRow(
                id: state.clientID, name: state.clientName, phase: state.phase.rawValue, window: "last \(days) days", decisions: current.reviewed,
                approval: RolloutFigures.percent(rates.approval), edit: RolloutFigures.percent(rates.edit),
                rejection: RolloutFigures.percent(rates.rejection),
                approvalTarget: nil, editTarget: nil, rejectionTarget: nil,
                approvalTrend: Self.trend(rates.approval, earlier.approval), editTrend: Self.trend(rates.edit, earlier.edit),
                rejectionTrend: Self.trend(rates.rejection, earlier.rejection), ok: true)
            var off: [String] = []
            switch state.phase {
            case .shadow:
                row.approvalTarget = "> " + RolloutFigures.percent(bp(settings.approvalTargetBP))
                row.editTarget = "< " + RolloutFigures.percent(bp(settings.editLimitBP))
                if let approval = rates.approval, approval <= bp(settings.approvalTargetBP) {
                    off.append("approval rate (\(row.approval)) is not above \(RolloutFigures.percent(bp(settings.approvalTargetBP)))")
                }
                if let edit = rates.edit, edit >= bp(settings.editLimitBP) {
                    off.append("edit rate (\(row.edit)) is not below \(RolloutFigures.percent(bp(settings.editLimitBP)))")
                }
            case .partial, .full:
                let limit = state.phase == .partial ? settings.partialRejectionLimitBP : settings.demotionLimitBP
                row.rejectionTarget = "< " + RolloutFigures.percent(bp(limit))
                if let rejection = rates.rejection, rejection >= bp(limit) {
                    off.append("rejection rate (\(row.rejection)) is not below \(RolloutFigures.percent(bp(limit)))")
                }
            }
            row.ok = off.isEmpty
            if !off.isEmpty { problems.append("\(state.clientName)'s " + off.joined(separator: " and its ") + " over the \(row.window)") }
            rows.append(row)
        }
        let awaiting = try await ReviewQueue(database: database, clock: clock).count(
            QueueFilter(), clientIDs: clientIDs, cap: ReviewQueue.headerCountCap)
        let today = try await ReviewProgress.doneToday(database, reviewerID: nil, clientIDs: clientIDs, now: now)
        var sentence: String
        if rows.allSatisfy({ $0.decisions == 0 }) {
            sentence = "No human decision in the rollout windows yet: nothing to judge by."
        } else if problems.isEmpty {
            sentence =
                rows.count == 1
                ? "Yes: \(rows[0].name) is within its rollout targets over the \(rows[0].window)."
                : "Yes: every client is within its rollout targets over its window."
        } else {
            sentence = "Watch: " + problems.joined(separator: "; ") + "."
        }
        if alerts > 0 { sentence += " \(alerts) rubber-stamp alert\(alerts == 1 ? "" : "s") below." }
        return DashboardGlance(
            sentence: sentence, ok: problems.isEmpty,
            awaiting: QueueCount.short(awaiting, cap: ReviewQueue.headerCountCap), decidedToday: QueueCount.grouped(today), clients: rows)
    }

    static func rates(_ decisions: RolloutEvidence.HumanDecisions) -> (approval: Double?, edit: Double?, rejection: Double?) {
        guard decisions.reviewed > 0 else { return (nil, nil, nil) }
        let total = Double(decisions.reviewed)
        return (Double(decisions.approved + decisions.edited) / total, Double(decisions.edited) / total, Double(decisions.rejected) / total)
    }

    /// "↑ 0.4 pt", "↓ 1.2 pt" or "no change", in percentage points; nil when either is unknown.
    static func trend(_ now: Double?, _ before: Double?) -> String? {
        guard let now, let before else { return nil }
        let points = ((now - before) * 1_000).rounded() / 10
        if points == 0 { return "no change" }
        return (points > 0 ? "↑ " : "↓ ") + String(format: "%.1f pt", abs(points))
    }
}
