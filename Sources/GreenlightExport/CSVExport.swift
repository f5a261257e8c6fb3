import Foundation
import SQLKit
import GreenlightCore
import GreenlightWork

/// The export for teams without API access: the approved emails as a CSV file to import
/// into Instantly or Smartlead by hand — one row per lead, the lead fields both import (`email`,
/// `first_name`, `last_name`, `company_name`) and the reviewed email as the custom columns the
/// sequence uses (`subject_line`, `email_body`), each exactly as reviewed. A row with a cell that
/// would start a formula in a spreadsheet (`=`, `+`, `-`, `@`, tab, CR) is left out of the file and
/// named on the export page (``leftOut(clientID:)``) rather than altered: the prospect gets the reviewed
/// text, and opening the file runs nothing. Preparing a file claims its emails in a run
/// `awaiting_upload`; while it waits they cannot be undone (a manager takes one out first), the
/// download holds only those still approved, and confirming marks only those sent; a cancelled file
/// gives them back. No address waits in two files.
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
    public func prepare(clientID: Int, by: String = "a CSV download", userID: Int? = nil) async throws -> (runID: Int, count: Int)? {
        let settings = try await database.read { sql in try await ExportSettings.load(sql, clientID: clientID) }
        if try await RolloutRepository(database: database, clock: clock).state(clientID: clientID).paused {
            throw InputError(field: "client", "the kill switch is on for \(settings.clientName): no export until it is resumed")
        }
        let lease = ExportLease(clientID: clientID, owner: LeaseOwner.make(), milliseconds: 60_000)
        let now = clock.nowMillis()
        if let holder = try await database.write({ sql in try await lease.acquire(sql, now: now, by: by) }) {
            throw ExportBusy(clientName: settings.clientName, holder: holder, runID: nil)
        }
        let ledger = ExportLedger(database: database, lease: lease, clock: clock, clientID: clientID)
        do {
            // One transaction: the run is never seen `running`, which the sequencer export would resume.
            let claimed = try await ledger.claim(
                kind: .csv, trigger: "manual", localDay: nil, recordEmpty: false, status: .awaitingUpload, csvSafe: true)
            try await database.write { sql in
                try await lease.release(sql)
                if let claimed {
                    try await AuditLog.append(
                        sql, userID: userID, action: "CSV file prepared", target: settings.clientName,
                        details: "run \(claimed.runID): \(claimed.claimed) email\(claimed.claimed == 1 ? "" : "s") waiting for upload", at: now)
                }
            }
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
            try await sql.raw(
                """
                SELECT e.contact_email, c.first_name, c.last_name, e.company_name, COALESCE(e.final_subject, e.subject) AS subject, e.body, e.final_body
                FROM export_items i JOIN generated_emails e ON e.id = i.email_id JOIN contacts c ON c.id = e.contact_id
                WHERE i.run_id = \(bind: runID) AND ((i.status = 'claimed' AND e.status IN \(unsafeRaw: ExportLedger.approved)) OR i.status = 'sent') ORDER BY i.email_id
                """
            ).all()
        }
        let cells: [[CSVDownload.Cell]] = try rows.map { row in
            [
                .text(try row.decode(column: "contact_email", as: String.self)), .text(try row.decode(column: "first_name", as: String.self)),
                .text(try row.decode(column: "last_name", as: String.self)), .text(try row.decode(column: "company_name", as: String.self)),
                .text(try row.decode(column: "subject", as: String.self)),
                .text(try row.decode(column: "final_body", as: String?.self) ?? row.decode(column: "body", as: String.self)),
            ]
        }
        let name =
            "greenlight-\(run.clientName.lowercased().filter { $0.isLetter || $0.isNumber })-\(LocalDay.of(millis: run.startedAt, timeZone: run.timezone))-run\(runID).csv"
        return (name, CSVDownload(header: Self.header, rows: cells).bytes())
    }

    /// The user uploaded the file: its emails become `sent` (campaign name "CSV upload, run N"). Returns how many.
    public func confirm(runID: Int, clientIDs: [Int]?, userID: Int? = nil) async throws -> Int {
        let run = try await csvRun(runID, clientIDs: clientIDs)
        guard run.status == .awaitingUpload else {
            throw InputError(field: "run", "run \(runID) is \(run.status), not waiting for an upload")
        }
        let now = clock.nowMillis()
        let lock = database.dialect == .postgres ? " FOR UPDATE" : ""
        return try await database.write { sql in
            // Only the emails still approved (the file holds only those); any other claim is released.
            let ids = try await sql.raw(
                """
                SELECT e.id FROM generated_emails e WHERE e.status IN \(unsafeRaw: ExportLedger.approved)
                AND e.id IN (SELECT email_id FROM export_items WHERE run_id = \(bind: runID) AND status = 'claimed')\(unsafeRaw: lock)
                """
            ).all().map { try $0.decode(column: "id", as: Int.self) }
            if !ids.isEmpty {
                try await sql.raw(
                    """
                    UPDATE generated_emails SET status = 'sent', export_campaign_name = \(bind: "CSV upload, run \(runID)"), sent_at = \(bind: now), export_error = NULL
                    WHERE id IN (\(binds: ids))
                    """
                ).run()
                try await sql.raw(
                    """
                    UPDATE export_items SET status = 'sent', updated_at = \(bind: now) WHERE run_id = \(bind: runID) AND status = 'claimed' AND email_id IN (\(binds: ids))
                    """
                ).run()
            }
            try await sql.raw(
                """
                UPDATE export_items SET status = 'released', error = 'no longer approved when the upload was confirmed', updated_at = \(bind: now)
                WHERE run_id = \(bind: runID) AND status = 'claimed'
                """
            ).run()
            try await ExportLedger.close(sql, runID: runID, status: .finished, error: nil, now: now)
            try await AuditLog.append(
                sql, userID: userID, action: "CSV upload confirmed", target: run.clientName,
                details: "run \(runID): \(ids.count) email\(ids.count == 1 ? "" : "s") marked sent", at: now)
            return ids.count
        }
    }

    /// The file was not uploaded: its emails stay approved, free for the next export.
    public func cancel(runID: Int, clientIDs: [Int]?, userID: Int? = nil) async throws {
        let run = try await csvRun(runID, clientIDs: clientIDs)
        guard run.status == .awaitingUpload else {
            throw InputError(field: "run", "run \(runID) is \(run.status), not waiting for an upload")
        }
        let now = clock.nowMillis()
        try await database.write { sql in
            try await sql.raw(
                "UPDATE export_items SET status = 'released', updated_at = \(bind: now) WHERE run_id = \(bind: runID) AND status = 'claimed'"
            ).run()
            try await ExportLedger.close(sql, runID: runID, status: .cancelled, error: "the file was not uploaded", now: now)
            try await AuditLog.append(
                sql, userID: userID, action: "CSV file cancelled", target: run.clientName,
                details: "run \(runID): not uploaded; its emails stay approved", at: now)
        }
    }

    /// Takes one email out of a file not uploaded yet, so it can be undone and decided again: its
    /// claim is released and the run's file no longer holds it (download it again). Audited.
    /// - Returns: the email's contact address, for the notice.
    @discardableResult
    public func remove(runID: Int, emailID: Int, clientIDs: [Int]?, by: String, userID: Int?) async throws -> String {
        let run = try await csvRun(runID, clientIDs: clientIDs)
        guard run.status == .awaitingUpload else {
            throw InputError(field: "run", "run \(runID) is \(run.status), not waiting for an upload: nothing to take out")
        }
        let now = clock.nowMillis()
        return try await database.write { sql in
            let released = try await sql.raw(
                """
                UPDATE export_items SET status = 'released', error = \(bind: "taken out of the file by \(by)"), updated_at = \(bind: now)
                WHERE run_id = \(bind: runID) AND email_id = \(bind: emailID) AND status = 'claimed' RETURNING email_id
                """
            ).first()
            guard released != nil,
                let address = try await sql.raw("SELECT contact_email FROM generated_emails WHERE id = \(bind: emailID)").first()?.decode(
                    column: "contact_email", as: String.self)
            else {
                throw InputError(field: "email", "email #\(emailID) is not in the file of run \(runID)")
            }
            let left =
                try await sql.raw("SELECT COUNT(*) AS n FROM export_items WHERE run_id = \(bind: runID) AND status = 'claimed'").first()?.decode(
                    column: "n", as: Int.self) ?? 0
            try await sql.raw("UPDATE export_runs SET claimed = \(bind: left) WHERE id = \(bind: runID)").run()
            try await AuditLog.append(
                sql, userID: userID, action: "email taken out of a CSV file", target: run.clientName,
                details: "email \(emailID) (\(address)), run \(runID)", at: now)
            return address
        }
    }

    /// The run whose CSV file, not uploaded yet, holds the email; nil when none.
    public func fileHolding(emailID: Int) async throws -> Int? {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT i.run_id FROM export_items i JOIN export_runs r ON r.id = i.run_id
                WHERE i.email_id = \(bind: emailID) AND i.status = 'claimed' AND r.status = 'awaiting_upload'
                """
            ).first()?.decode(column: "run_id", as: Int.self)
        }
    }

    /// An approved email left out of CSV files: a cell of its row would start a formula.
    public struct LeftOut: Sendable, Equatable {
        public var emailID: Int
        public var contactEmail: String
        /// The column whose text starts like a formula, e.g. `email_body`.
        public var column: String
        /// Its first character, as shown to the user (`=`, `+`, `-`, `@`, `tab`, `CR`).
        public var character: String
    }

    /// The client's approved emails waiting for export that no CSV file takes, and why.
    public func leftOut(clientID: Int, limit: Int = 100) async throws -> [LeftOut] {
        let rows = try await database.read { sql in
            try await sql.raw(
                """
                SELECT e.id, e.contact_email, c.first_name, c.last_name, e.company_name, COALESCE(e.final_subject, e.subject) AS subject, COALESCE(e.final_body, e.body) AS text
                FROM generated_emails e JOIN contacts c ON c.id = e.contact_id
                WHERE e.client_id = \(bind: clientID) AND e.status IN \(unsafeRaw: ExportLedger.approved)
                AND NOT EXISTS (SELECT 1 FROM export_items o WHERE o.email_id = e.id AND o.status IN \(unsafeRaw: ExportItemStatus.openSQL))
                """ + " AND " + ExportLedger.startsFormula() + " ORDER BY e.id LIMIT \(bind: limit)"
            ).all()
        }
        return try rows.compactMap { row in
            let cells = zip(Self.header, ["contact_email", "first_name", "last_name", "company_name", "subject", "text"]).map { ($0, $1) }
            for (column, field) in cells {
                let text = try row.decode(column: field, as: String.self)
                guard let first = text.unicodeScalars.first, CSVDownload.formulaPrefixes.contains(first) else { continue }
                let shown = first == "\t" ? "tab" : first == "\r" ? "CR" : String(first)
                return LeftOut(
                    emailID: try row.decode(column: "id", as: Int.self), contactEmail: try row.decode(column: "contact_email", as: String.self),
                    column: column, character: shown)
            }
            return nil
        }
    }

    private struct RunFacts {
        var status: ExportRunStatus
        var clientName: String
        var timezone: String
        var startedAt: Int
    }

    private func csvRun(_ runID: Int, clientIDs: [Int]?) async throws -> RunFacts {
        let query =
            SQLQueryString(
                """
                SELECT r.status, r.started_at, c.name, c.timezone FROM export_runs r JOIN clients c ON c.id = r.client_id WHERE r.id = \(bind: runID) AND r.kind = 'csv'
                """) + SQLStatements.visible("r.client_id", to: clientIDs)
        guard let row = try await database.read({ sql in try await sql.raw(query).first() }) else { throw NotFound("CSV export \(runID)") }
        return RunFacts(
            status: try row.decode(status: "status", as: ExportRunStatus.self), clientName: try row.decode(column: "name", as: String.self),
            timezone: try row.decode(column: "timezone", as: String.self), startedAt: try row.decode(column: "started_at", as: Int.self))
    }
}
