import GreenlightEmails
import GreenlightWork

/// What the rollout pages and their messages say, in sentences: the controller reads and decides,
/// this says it.
enum RolloutWords {
    /// "Acme promoted to partial." after a phase change (`action` nil: it was already there).
    static func moved(_ clientName: String, action: RolloutChange.Action?, to target: RolloutPhase) -> String {
        let verb = action.map { $0 == .promote ? "promoted to" : $0 == .restore ? "restored to" : "moved down to" } ?? "already in"
        return "\(clientName) \(verb) \(target.rawValue)."
    }

    /// After one client's kill switch is thrown or released.
    static func switched(_ clientName: String, paused: Bool) -> String {
        paused ? "Auto-approval and export of \(clientName) are paused: new drafts wait for a human." : "\(clientName) resumed."
    }

    /// After an admin's switch of every client.
    static func switchedAll(paused: Bool) -> String {
        paused ? "Auto-approval and export are paused for every client." : "Every client resumed (clients paused one by one stay paused)."
    }

    /// After a manager's switch of the clients they see (`count` of them).
    static func switchedOwn(_ count: Int, paused: Bool, pausedGlobally: Bool) -> String {
        let clients = "your \(count) client\(count == 1 ? "" : "s")"
        if paused { return "Auto-approval and export are paused for \(clients)." }
        let held = pausedGlobally ? ", but an admin's pause of every client still holds them" : ""
        return "\(clients.prefix(1).uppercased() + clients.dropFirst()) resumed\(held)."
    }

    /// What a promotion changes, from the simulation of its threshold over the last 90 days.
    static func consequence(_ state: RolloutState, threshold: Int, simulation: ThresholdSimulation) -> String {
        let share =
            simulation.decidedCount == 0
            ? "a share not known yet (no human decision in the last 90 days)"
            : "about \(Int(((simulation.autoApprovalShare.rate ?? 0) * 100).rounded()))% of the drafts humans decided in the last 90 days"
        let sample = RolloutSettingsFields.fraction(state.settings.sampleRateBP * 100) + "%"
        return "Drafts scoring \(threshold) or more — \(share) — will skip review and be approved automatically; "
            + "\(sample) of them are still held back for blind review, and the demotion guard moves \(state.clientName) back if more than "
            + "\(RolloutSettingsFields.fraction(state.settings.demotionLimitBP * 100))% of the last \(state.settings.demotionWindow) "
            + "human-reviewed drafts are rejected."
    }
}
