import Foundation
import SQLKit

/// The export for teams without API access (SPEC §7): the approved emails as a CSV file to import
/// into Instantly or Smartlead by hand — one row per lead, the lead fields both import (`email`,
/// `first_name`, `last_name`, `company_name`) and the reviewed email as the custom columns the
/// sequence uses (`subject_line`, `email_body`), formula-safe (``CSVDownload``). Preparing a file
/// claims its emails in a run `awaiting_upload`; they are marked sent only when the user confirms
/// the upload, and a cancelled file gives them back.
public struct CSVExport: Sendable {
    let database: Database
    let clock: TimeSource

    /// The columns of the file.
    public static let header = ["email", "first_name", "last_name", "company_name", "subject_line", "email_body"]

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    /// Claims the client's approved emails (not sent, not open in another run) for a file; returns
    /// the run and how many it holds, or nil when nothing waits. Refused while the kill switch is on.
    /// - Parameter by: who prepares it, shown to a sequencer export refused meanwhile.
    public func prepare(clientID: Int, by: String = "a CSV download") async throws -> (runID: Int, count: Int)? {
        let settings = try await database.read { sql in try await ExportSettings.load(sql, clientID: clientID) }
        if try await RolloutRepository(database: database, clock: clock).state(clientID: clientID).paused {
            throw InputError(field: "client", "the kill switch is on for \(settings.clientName): no export until it is resumed")
        }
        let lease = ExportLease(clientID: clientID, owner: ExportLease.makeOwner(), milliseconds: 60_000)
        let now = clock.nowMillis()
        if let holder = try await database.write({ sql in try await lease.acquire(sql, now: now, by: by) }) {
            throw ExportBusy(clientName: settings.clientName, holder: holder, runID: nil)
        }
        let ledger = ExportLedger(database: database, lease: lease, clock: clock, clientID: clientID)
        do {
            // One transaction: the run is never seen `running`, which the sequencer export would resume.
            let claimed = try await ledger.claim(kind: "csv", trigger: "manual", localDay: nil, recordEmpty: false, status: "awaiting_upload")
            try await database.write { sql in try await lease.release(sql) }
            return claimed.map { ($0.runID, $0.claimed) }
        } catch {
            try? await database.write { sql in try await lease.release(sql) }
            throw error
        }
    }

    /// The file of a CSV run (its file name and bytes), if the run is visible.
    public func file(runID: Int, clientIDs: [Int]?) async throws -> (name: String, bytes: [UInt8]) {
        let run = try await csvRun(runID, clientIDs: clientIDs)
        let rows = try await database.read { sql in
            try await sql.raw("""
                SELECT e.contact_email, c.first_name, c.last_name, e.company_name, e.subject, e.body, e.final_body
                FROM export_items i JOIN generated_emails e ON e.id = i.email_id JOIN contacts c ON c.id = e.contact_id
                WHERE i.run_id = \(bind: runID) AND i.status IN ('claimed', 'sent') ORDER BY i.email_id
                """).all()
        }
        let cells: [[CSVDownload.Cell]] = try rows.map { row in
            [.text(try row.decode(column: "contact_email", as: String.self)), .text(try row.decode(column: "first_name", as: String.self)),
             .text(try row.decode(column: "last_name", as: String.self)), .text(try row.decode(column: "company_name", as: String.self)),
             .text(try row.decode(column: "subject", as: String.self)),
             .text(try row.decode(column: "final_body", as: String?.self) ?? row.decode(column: "body", as: String.self))]
        }
        let name = "greenlight-\(run.clientName.lowercased().filter { $0.isLetter || $0.isNumber })-\(LocalDay.of(millis: run.startedAt, timeZone: run.timezone))-run\(runID).csv"
        return (name, CSVDownload(header: Self.header, rows: cells).bytes())
    }

    /// The user uploaded the file: its emails become `sent` (campaign name "CSV upload, run N"). Returns how many.
    public func confirm(runID: Int, clientIDs: [Int]?) async throws -> Int {
        let run = try await csvRun(runID, clientIDs: clientIDs)
        guard run.status == "awaiting_upload" else { throw InputError(field: "run", "run \(runID) is \(run.status), not waiting for an upload") }
        let now = clock.nowMillis()
        return try await database.write { sql in
            let ids = try await sql.raw("SELECT email_id FROM export_items WHERE run_id = \(bind: runID) AND status = 'claimed'").all().map { try $0.decode(column: "email_id", as: Int.self) }
            if !ids.isEmpty {
                try await sql.raw("""
                    UPDATE generated_emails SET status = 'sent', export_campaign_name = \(bind: "CSV upload, run \(runID)"), sent_at = \(bind: now), export_error = NULL
                    WHERE id IN (\(binds: ids)) AND status IN \(unsafeRaw: ExportLedger.approved)
                    """).run()
                try await sql.raw("UPDATE export_items SET status = 'sent', updated_at = \(bind: now) WHERE run_id = \(bind: runID) AND status = 'claimed'").run()
            }
            try await ExportLedger.close(sql, runID: runID, status: "finished", error: nil, now: now)
            return ids.count
        }
    }

    /// The file was not uploaded: its emails stay approved, free for the next export.
    public func cancel(runID: Int, clientIDs: [Int]?) async throws {
        let run = try await csvRun(runID, clientIDs: clientIDs)
        guard run.status == "awaiting_upload" else { throw InputError(field: "run", "run \(runID) is \(run.status), not waiting for an upload") }
        let now = clock.nowMillis()
        try await database.write { sql in
            try await sql.raw("UPDATE export_items SET status = 'released', updated_at = \(bind: now) WHERE run_id = \(bind: runID) AND status = 'claimed'").run()
            try await ExportLedger.close(sql, runID: runID, status: "cancelled", error: "the file was not uploaded", now: now)
        }
    }

    private struct RunFacts {
        var status: String
        var clientName: String
        var timezone: String
        var startedAt: Int
    }

    private func csvRun(_ runID: Int, clientIDs: [Int]?) async throws -> RunFacts {
        let query = SQLQueryString("""
            SELECT r.status, r.started_at, c.name, c.timezone FROM export_runs r JOIN clients c ON c.id = r.client_id WHERE r.id = \(bind: runID) AND r.kind = 'csv'
            """) + SQLStatements.visible("r.client_id", to: clientIDs)
        guard let row = try await database.read({ sql in try await sql.raw(query).first() }) else { throw NotFound("CSV export \(runID)") }
        return RunFacts(status: try row.decode(column: "status", as: String.self), clientName: try row.decode(column: "name", as: String.self),
                        timezone: try row.decode(column: "timezone", as: String.self), startedAt: try row.decode(column: "started_at", as: Int.self))
    }
}
