import Foundation
import SQLKit
import GreenlightCore
import GreenlightWork

/// Ending what a run cannot finish: its unanswered leads settled, a start refused for good, the run
/// abandoned by a manager.
extension ExportLedger {
    /// The run's leads whose call went out unanswered, by the campaign they were sent to.
    func unanswered(runID: Int) async throws -> [(campaignID: String, campaignName: String, leads: [(emailID: Int, email: String)])] {
        let rows = try await database.read { sql in
            try await sql.raw(
                """
                SELECT k.campaign_id, k.name, i.email_id, e.contact_email FROM export_items i JOIN generated_emails e ON e.id = i.email_id
                JOIN export_campaigns k ON k.run_id = i.run_id AND k.template_id = e.template_id
                WHERE i.run_id = \(bind: runID) AND i.status = 'sending' AND k.campaign_id IS NOT NULL ORDER BY k.id, i.email_id
                """
            ).all()
        }
        var groups: [(campaignID: String, campaignName: String, leads: [(emailID: Int, email: String)])] = []
        for row in rows {
            let campaignID = try row.decode(column: "campaign_id", as: String.self)
            let lead = (emailID: try row.decode(column: "email_id", as: Int.self), email: try row.decode(column: "contact_email", as: String.self))
            if groups.last?.campaignID == campaignID {
                groups[groups.count - 1].leads.append(lead)
            } else {
                groups.append((campaignID, try row.decode(column: "name", as: String.self), [lead]))
            }
        }
        return groups
    }

    /// Ends leads whose call went unanswered and will not be tried again in this run: those the
    /// sequencer holds are `sent`, the rest `failed` with the reason on the item and the email's
    /// card, the email still approved for a later run.
    func settle(runID: Int, held: [(emailID: Int, leadID: String)], notHeld: [Int], campaignID: String, campaignName: String, reason: String)
        async throws
    {
        try await recordSent(runID: runID, leads: held, campaignID: campaignID, campaignName: campaignName)
        guard !notHeld.isEmpty else { return }
        let now = clock.nowMillis()
        try await write { sql in
            try await sql.raw(
                """
                UPDATE export_items SET status = 'failed', error = \(bind: reason), updated_at = \(bind: now)
                WHERE run_id = \(bind: runID) AND status = 'sending' AND email_id IN (\(binds: notHeld))
                """
            ).run()
            try await sql.raw("UPDATE generated_emails SET export_error = \(bind: reason) WHERE id IN (\(binds: notHeld))").run()
        }
    }

    /// Keeps why the sequencer refused to start the campaign for good (e.g. it no longer has it):
    /// it is no longer to be started by a run, and the error stays on the export page.
    func activationRefused(rowID: Int, reason: String) async throws {
        try await write { sql in
            try await sql.raw("UPDATE export_campaigns SET to_activate = 0, activation_error = \(bind: reason) WHERE id = \(bind: rowID)").run()
        }
    }

    /// How many times the run has ended `failed`.
    func failures(runID: Int) async throws -> Int {
        try await database.read { sql in
            try await sql.raw("SELECT failures FROM export_runs WHERE id = \(bind: runID)").first()?.decode(column: "failures", as: Int.self) ?? 0
        }
    }

    /// Ends a run a manager gave up on (its unanswered leads settled first): claims released, the
    /// emails approved for a later run; campaigns still to start are left to start by hand; the run
    /// `abandoned`, with who did it, audited in the same transaction.
    /// Returns how many claims it released.
    func abandon(runID: Int, by: String, userID: Int?, clientName: String) async throws -> Int {
        let now = clock.nowMillis()
        let reason = "abandoned by \(by)"
        return try await write { sql in
            let released =
                try await sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM export_items WHERE run_id = \(bind: runID) AND status = 'claimed'
                    """
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            try await sql.raw(
                """
                UPDATE export_items SET status = 'released', error = \(bind: reason), updated_at = \(bind: now) WHERE run_id = \(bind: runID) AND status = 'claimed'
                """
            ).run()
            try await sql.raw(
                """
                UPDATE export_campaigns SET to_activate = 0,
                activation_error = \(bind: "not started: run \(runID) was \(reason) before it was; start it in the sequencer") WHERE run_id = \(bind: runID) AND to_activate = 1
                """
            ).run()
            try await Self.close(sql, runID: runID, status: .abandoned, error: reason, now: now)
            try await AuditLog.append(sql, userID: userID, action: "export run abandoned", target: clientName, details: "run \(runID)", at: now)
            return released
        }
    }
}
