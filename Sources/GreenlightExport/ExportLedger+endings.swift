import Foundation
import SQLKit
import GreenlightCore
import GreenlightWork

/// How a run ends: failed, finished or stopped, with its counts and (for a sequencer run) its audit entry.
extension ExportLedger {
    /// Ends the run's open claims as failed with the reason, shown on each email's card; leads whose
    /// call went out unanswered stay `sending`, for the next run to ask the sequencer about. Counts
    /// the failure (the schedule backs off by it; Slack hears of the first).
    func fail(runID: Int, reason: String) async throws {
        let now = clock.nowMillis()
        try await write { sql in
            try await sql.raw("UPDATE export_runs SET failures = failures + 1 WHERE id = \(bind: runID)").run()
            try await sql.raw(
                """
                UPDATE generated_emails SET export_error = \(bind: reason) WHERE id IN
                (SELECT email_id FROM export_items WHERE run_id = \(bind: runID) AND status IN \(unsafeRaw: ExportItemStatus.openSQL))
                """
            ).run()
            try await sql.raw(
                """
                UPDATE export_items SET status = 'failed', error = \(bind: reason), updated_at = \(bind: now) WHERE run_id = \(bind: runID) AND status = 'claimed'
                """
            ).run()
            try await Self.close(sql, runID: runID, status: .failed, error: reason, now: now)
        }
    }

    /// Ends the run: `finished`, or `stopped` by the kill switch (open claims released, emails stay approved).
    func finish(runID: Int, status: ExportRunStatus, error: String? = nil) async throws {
        let now = clock.nowMillis()
        try await write { sql in
            try await sql.raw(
                """
                UPDATE export_items SET status = 'released', error = \(bind: error), updated_at = \(bind: now) WHERE run_id = \(bind: runID) AND status = 'claimed'
                """
            ).run()
            try await Self.close(sql, runID: runID, status: status, error: error, now: now)
        }
    }

    /// Ends a run with its counts. A sequencer run's end is written to the audit log in the same
    /// transaction, by Greenlight (an abandoned run is audited by whoever abandoned it; a CSV file's
    /// confirmation or cancellation by whoever did it).
    static func close(_ sql: any SQLDatabase, runID: Int, status: ExportRunStatus, error: String?, now: Int) async throws {
        try await sql.raw(
            """
            UPDATE export_runs SET status = \(bind: status.rawValue), error = \(bind: error), finished_at = \(bind: now),
            sent = (SELECT COUNT(*) FROM export_items WHERE run_id = \(bind: runID) AND status = 'sent'),
            failed = (SELECT COUNT(*) FROM export_items WHERE run_id = \(bind: runID) AND status = 'failed')
            WHERE id = \(bind: runID)
            """
        ).run()
        guard status != .abandoned,
            let run = try await sql.raw(
                """
                SELECT r.kind, r.run_trigger, r.sent, r.failed, c.name AS client_name FROM export_runs r JOIN clients c ON c.id = r.client_id
                WHERE r.id = \(bind: runID) AND r.kind <> 'csv'
                """
            ).first()
        else { return }
        let trigger = try run.decode(column: "run_trigger", as: String.self)
        let starter = trigger == "schedule" ? "the daily schedule" : trigger == "command" ? "the command line" : "a manager (web or API)"
        let kind = try run.decode(column: "kind", as: String.self)
        let sent = try run.decode(column: "sent", as: Int.self), failed = try run.decode(column: "failed", as: Int.self)
        var details =
            "run \(runID) to \(kind.prefix(1).uppercased() + kind.dropFirst()), started by \(starter): \(sent) lead\(sent == 1 ? "" : "s") sent, \(failed) failed"
        if let error { details += "; \(error)" }
        try await AuditLog.append(
            sql, userID: nil, actorName: "Greenlight", action: "export run \(status.rawValue)",
            target: try run.decode(column: "client_name", as: String.self), details: details, at: now)
    }
}
