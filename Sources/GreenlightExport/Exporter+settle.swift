import Foundation

/// Settling leads whose call went unanswered, when the run will not send them again: the sequencer
/// is asked what it holds.
extension Exporter {
    /// Asks the sequencer which of the run's unanswered leads it holds: those are `sent`, the rest
    /// `failed` with `reason` (their emails approved for a later run). A campaign the sequencer no
    /// longer has (404) holds none. Throws when the sequencer cannot say; what it said for earlier
    /// campaigns is kept. Returns how many leads it found held and how many not.
    @discardableResult
    func settle(runID: Int, ledger: ExportLedger, sequencer: any Sequencer, reason: String) async throws -> (held: Int, missing: Int) {
        var counts = (held: 0, missing: 0)
        for group in try await ledger.unanswered(runID: runID) {
            try await ledger.renew()
            let held = try await heldOrGone(group.leads.map(\.email), in: group.campaignID, sequencer: sequencer)
            let found = group.leads.compactMap { lead in held[lead.email.lowercased()].map { (emailID: lead.emailID, leadID: $0) } }
            let missing = group.leads.filter { held[$0.email.lowercased()] == nil }.map(\.emailID)
            try await ledger.settle(
                runID: runID, held: found, notHeld: missing, campaignID: group.campaignID, campaignName: group.campaignName,
                reason: "\(reason) — not in campaign \(group.campaignName): approved again for the next run")
            counts.held += found.count
            counts.missing += missing.count
        }
        return counts
    }

    /// The leads the campaign holds; none when the sequencer no longer has the campaign (404).
    func heldOrGone(_ emails: [String], in campaignID: String, sequencer: any Sequencer) async throws(SequencerError) -> [String: String] {
        do {
            return try await sequencer.heldLeads(emails, in: campaignID)
        } catch {
            if case .rejected(404, _) = error { return [:] }
            throw error
        }
    }
}
