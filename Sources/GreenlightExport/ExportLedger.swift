import Foundation
import SQLKit
import GreenlightCore
import GreenlightEmails
import GreenlightWork

/// The export's transactional outbox: every run, the emails it claimed, each campaign before and
/// after its creation, each lead batch before and after its call. What the ledger says is all a
/// resumed run knows; every write renews the client's lease in the same transaction.
struct ExportLedger: Sendable {
    let database: Database
    let lease: ExportLease
    let clock: TimeSource
    let clientID: Int

    /// The statuses an email may be exported from.
    static let approved = ReviewStatus.sqlList(ReviewStatus.approvedSet)

    /// One email of a batch, as its lead will carry it.
    struct BatchEmail: Sendable {
        var emailID: Int
        var lead: SequencerLead
    }

    /// A campaign of the run, as recorded.
    struct Campaign: Sendable {
        var rowID: Int
        var name: String
        var campaignID: String?
        var status: String
    }

    /// A write that first renews the lease: it fails, writing nothing, once another exporter holds it.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let lease = self.lease
        let now = clock.nowMillis()
        return try await database.write { sql in
            try await lease.renew(sql, now: now)
            return try await body(sql)
        }
    }

    /// Renews the lease on its own, before a remote call: a task that lost its lease stops before
    /// calling the sequencer (``ExportLeaseLost``).
    func renew() async throws {
        let lease = self.lease
        let now = clock.nowMillis()
        try await database.write { sql in try await lease.renew(sql, now: now) }
    }

    /// What makes a run unfinished, for `r`: still `running`, leads whose call went out unanswered,
    /// or a campaign still to start.
    static let unfinished = """
        (r.status = 'running' OR EXISTS (SELECT 1 FROM export_items i WHERE i.run_id = r.id AND i.status = 'sending')
        OR EXISTS (SELECT 1 FROM export_campaigns k WHERE k.run_id = r.id AND k.to_activate = 1))
        """

    /// The client's run left unfinished (killed, or ended with leads whose fate is unknown or a
    /// campaign not started), if any.
    func openRun() async throws -> Int? {
        let clientID = self.clientID
        return try await database.read { sql in
            try await sql.raw(
                """
                SELECT r.id FROM export_runs r WHERE r.client_id = \(bind: clientID) AND r.kind <> 'csv' AND \(unsafeRaw: Self.unfinished) ORDER BY r.id LIMIT 1
                """
            ).first()?.decode(column: "id", as: Int.self)
        }
    }

    /// Whether the run already ended (`stopped`, `failed`) though something of it is unfinished.
    func hasEnded(runID: Int) async throws -> Bool {
        try await database.read { sql in
            try await sql.raw("SELECT status FROM export_runs WHERE id = \(bind: runID)").first()?.decode(column: "status", as: String.self)
                != "running"
        }
    }

    /// A campaign of the run recorded as to be started, with the sequencer's id.
    struct PendingActivation: Sendable {
        var rowID: Int
        var name: String
        var campaignID: String
    }

    func hasPendingActivation(runID: Int) async throws -> Bool {
        try await !pendingActivations(runID: runID).isEmpty
    }

    /// The run's campaigns created but still to start, in order.
    func pendingActivations(runID: Int) async throws -> [PendingActivation] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT id, name, campaign_id FROM export_campaigns WHERE run_id = \(bind: runID) AND to_activate = 1 AND campaign_id IS NOT NULL ORDER BY id
                """
            ).all().map {
                PendingActivation(
                    rowID: try $0.decode(column: "id", as: Int.self), name: try $0.decode(column: "name", as: String.self),
                    campaignID: try $0.decode(column: "campaign_id", as: String.self))
            }
        }
    }

    /// Keeps why starting the campaign failed; it stays to be started.
    func activationFailed(rowID: Int, reason: String) async throws {
        try await write { sql in
            try await sql.raw("UPDATE export_campaigns SET activation_error = \(bind: reason) WHERE id = \(bind: rowID)").run()
        }
    }

    /// Records a new run and claims every email approved before it started, not sent, not open in
    /// another run, whose address (or domain) is not on the client's suppression list, and whose address does not wait in a CSV file not uploaded yet (no address goes
    /// out twice). Returns the run's id and how many emails it claimed; nil, recording nothing, when
    /// there is nothing to claim and `recordEmpty` is false.
    /// - Parameter status: the run's first status: `running`, or `awaiting_upload` for a CSV file.
    /// - Parameter csvSafe: leave out emails with a cell a spreadsheet would run as a formula (``CSVExport/leftOut(clientID:)`` names them).
    func claim(
        kind: SequencerKind, trigger: String, localDay: String?, recordEmpty: Bool = true, status: ExportRunStatus = .running, csvSafe: Bool = false
    )
        async throws -> (runID: Int, claimed: Int)?
    {
        let clientID = self.clientID
        let now = clock.nowMillis()
        var eligible: SQLQueryString = """
            e.client_id = \(bind: clientID) AND e.status IN \(unsafeRaw: Self.approved) AND COALESCE(e.reviewed_at, e.created_at) <= \(bind: now)
            AND NOT EXISTS (SELECT 1 FROM export_items o WHERE o.email_id = e.id AND o.status IN \(unsafeRaw: ExportItemStatus.openSQL))
            AND NOT \(unsafeRaw: SuppressionList.matchesEmail)
            """
        if csvSafe { eligible = eligible + " AND NOT " + Self.startsFormula() }
        let base = eligible
        return try await write { sql -> (runID: Int, claimed: Int)? in
            // The address check only when a file waits (rarely): a claim of thousands never pays for it otherwise.
            let condition = try await Self.hasOpenFile(sql, clientID: clientID) ? base + " AND NOT " + SQLQueryString(Self.addressInOpenFile) : base
            // One scheduled run per client and local day.
            if let localDay,
                try await sql.raw(
                    """
                    SELECT id FROM export_runs WHERE client_id = \(bind: clientID) AND local_day = \(bind: localDay)
                    """
                ).first() != nil
            {
                return nil
            }
            if !recordEmpty, try await sql.raw("SELECT e.id FROM generated_emails e WHERE " + condition + " LIMIT 1").first() == nil {
                return nil
            }
            guard
                let run = try await sql.raw(
                    """
                    INSERT INTO export_runs (client_id, kind, status, run_trigger, local_day, started_at)
                    VALUES (\(bind: clientID), \(bind: kind.rawValue), \(bind: status.rawValue), \(bind: trigger), \(bind: localDay), \(bind: now)) RETURNING id
                    """
                ).first()?.decode(column: "id", as: Int.self)
            else { throw StorageError("recording an export run returned no id") }
            try await sql.raw(
                "INSERT INTO export_items (run_id, email_id, status, updated_at) SELECT \(bind: run), e.id, 'claimed', \(bind: now) "
                    + "FROM generated_emails e WHERE " + condition
            ).run()
            let claimed =
                try await sql.raw("SELECT COUNT(*) AS n FROM export_items WHERE run_id = \(bind: run)").first()?.decode(column: "n", as: Int.self)
                ?? 0
            try await sql.raw("UPDATE export_runs SET claimed = \(bind: claimed) WHERE id = \(bind: run)").run()
            return (run, claimed)
        }
    }

    /// The templates of the run's open emails, in order.
    func templates(runID: Int) async throws -> [Int] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT DISTINCT e.template_id FROM export_items i JOIN generated_emails e ON e.id = i.email_id
                WHERE i.run_id = \(bind: runID) AND i.status IN \(unsafeRaw: ExportItemStatus.openSQL) ORDER BY e.template_id
                """
            ).all().map { try $0.decode(column: "template_id", as: Int.self) }
        }
    }

    func campaign(runID: Int, templateID: Int) async throws -> Campaign? {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT id, name, campaign_id, status FROM export_campaigns WHERE run_id = \(bind: runID) AND template_id = \(bind: templateID)
                """
            ).first().map {
                Campaign(
                    rowID: try $0.decode(column: "id", as: Int.self), name: try $0.decode(column: "name", as: String.self),
                    campaignID: try $0.decode(column: "campaign_id", as: String?.self), status: try $0.decode(column: "status", as: String.self))
            }
        }
    }

    /// Records the campaign as `creating`, before the call that creates it.
    func recordCampaign(runID: Int, templateID: Int, name: String) async throws -> Campaign {
        try await write { sql in
            guard
                let id = try await sql.raw(
                    """
                    INSERT INTO export_campaigns (run_id, template_id, name, status) VALUES (\(bind: runID), \(bind: templateID), \(bind: name), 'creating') RETURNING id
                    """
                ).first()?.decode(column: "id", as: Int.self)
            else { throw StorageError("recording a campaign returned no id") }
            return Campaign(rowID: id, name: name, campaignID: nil, status: "creating")
        }
    }

    /// Records the campaign's id and status, and whether it is still to be started (written with the
    /// id, before any call that starts it; cleared once it is started).
    func saveCampaign(rowID: Int, campaignID: String, status: String, toActivate: Bool) async throws {
        try await write { sql in
            try await sql.raw(
                """
                UPDATE export_campaigns SET campaign_id = \(bind: campaignID), status = \(bind: status), to_activate = \(bind: toActivate ? 1 : 0),
                activation_error = NULL WHERE id = \(bind: rowID)
                """
            ).run()
        }
    }

    /// The run's emails of this template whose batch call went out without its answer recorded.
    func sending(runID: Int, templateID: Int) async throws -> [(emailID: Int, email: String)] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT i.email_id, e.contact_email FROM export_items i JOIN generated_emails e ON e.id = i.email_id
                WHERE i.run_id = \(bind: runID) AND i.status = 'sending' AND e.template_id = \(bind: templateID) ORDER BY i.email_id
                """
            ).all().map { (try $0.decode(column: "email_id", as: Int.self), try $0.decode(column: "contact_email", as: String.self)) }
        }
    }

    /// The next claimed emails of this template, in order.
    func nextBatch(runID: Int, templateID: Int, limit: Int) async throws -> [Int] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT i.email_id FROM export_items i JOIN generated_emails e ON e.id = i.email_id
                WHERE i.run_id = \(bind: runID) AND i.status = 'claimed' AND e.template_id = \(bind: templateID) ORDER BY i.email_id LIMIT \(bind: limit)
                """
            ).all().map { try $0.decode(column: "email_id", as: Int.self) }
        }
    }

    /// Marks `sending` (batch `batch`), in one transaction, those of these items still claimed by the
    /// run whose email is still approved; returns them. The emails still approved are read first, on
    /// PostgreSQL locking their rows until the transaction ends, then their claims are marked: an undo
    /// either came before (the email is left out) or waits and then sees it being sent; SQLite writes
    /// one transaction at a time. (Both statements look rows up by key, so a plan made on statistics
    /// not yet updated after a large claim stays fast.)
    func markSending(runID: Int, emailIDs: [Int], batch: Int) async throws -> [Int] {
        guard !emailIDs.isEmpty else { return [] }
        let now = clock.nowMillis()
        let lock = database.dialect == .postgres ? " FOR UPDATE" : ""
        return try await write { sql in
            let approved = try await sql.raw(
                """
                SELECT e.id FROM generated_emails e WHERE e.id IN (\(binds: emailIDs)) AND e.status IN \(unsafeRaw: Self.approved)
                AND NOT \(unsafeRaw: SuppressionList.matchesEmail)\(unsafeRaw: lock)
                """
            ).all().map { try $0.decode(column: "id", as: Int.self) }
            guard !approved.isEmpty else { return [] }
            return try await sql.raw(
                """
                UPDATE export_items SET status = 'sending', batch = \(bind: batch), error = NULL, updated_at = \(bind: now)
                WHERE run_id = \(bind: runID) AND status = 'claimed' AND email_id IN (\(binds: approved)) RETURNING email_id
                """
            ).all().map { try $0.decode(column: "email_id", as: Int.self) }
        }
    }

    /// What the leads of these items carry: name, company, the reviewed subject and body and the
    /// template's variables, read once they are `sending` (no review can change them then).
    func leads(runID: Int, emailIDs: [Int]) async throws -> [BatchEmail] {
        guard !emailIDs.isEmpty else { return [] }
        let rows = try await database.read { sql in
            try await sql.raw(
                """
                SELECT i.email_id, e.contact_email, e.company_name, COALESCE(e.final_subject, e.subject) AS subject, e.body, e.final_body, e.variables_json, c.first_name, c.last_name
                FROM export_items i JOIN generated_emails e ON e.id = i.email_id JOIN contacts c ON c.id = e.contact_id
                WHERE i.run_id = \(bind: runID) AND i.email_id IN (\(binds: emailIDs)) ORDER BY i.email_id
                """
            ).all()
        }
        return try rows.map { row in
            let first = try row.decode(column: "first_name", as: String.self)
            let last = try row.decode(column: "last_name", as: String.self)
            let company = try row.decode(column: "company_name", as: String.self)
            var variables: [String: String] = [:]
            for variable in (try? JSONText.decode([DraftVariable].self, from: try row.decode(column: "variables_json", as: String.self))) ?? [] {
                variables[variable.name] = variable.value
            }
            variables["first_name"] = first
            variables["last_name"] = last
            variables["company_name"] = company
            variables["subject_line"] = try row.decode(column: "subject", as: String.self)
            variables["email_body"] = try row.decode(column: "final_body", as: String?.self) ?? row.decode(column: "body", as: String.self)
            return BatchEmail(
                emailID: try row.decode(column: "email_id", as: Int.self),
                lead: SequencerLead(
                    email: try row.decode(column: "contact_email", as: String.self), firstName: first, lastName: last,
                    companyName: company, variables: variables))
        }
    }

    /// Sets the items' status (and error), e.g. `released` for emails no longer approved.
    func mark(runID: Int, emailIDs: [Int], status: ExportItemStatus, error: String? = nil, batch: Int? = nil) async throws {
        guard !emailIDs.isEmpty else { return }
        let now = clock.nowMillis()
        try await write { sql in
            try await sql.raw(
                """
                UPDATE export_items SET status = \(bind: status.rawValue), error = \(bind: error), batch = COALESCE(\(bind: batch), batch), updated_at = \(bind: now)
                WHERE run_id = \(bind: runID) AND email_id IN (\(binds: emailIDs))
                """
            ).run()
        }
    }

    /// The next batch number of the run.
    func nextBatchNumber(runID: Int) async throws -> Int {
        try await database.read { sql in
            try await sql.raw("SELECT COALESCE(MAX(batch), 0) + 1 AS n FROM export_items WHERE run_id = \(bind: runID)").first()?.decode(
                column: "n", as: Int.self) ?? 1
        }
    }

    /// Records leads the sequencer holds: items `sent`, emails `sent` with the campaign and lead ids —
    /// one statement per table for a whole batch (the rollup's triggers still count each email).
    func recordSent(runID: Int, leads: [(emailID: Int, leadID: String)], campaignID: String, campaignName: String) async throws {
        guard !leads.isEmpty else { return }
        let now = clock.nowMillis()
        try await write { sql in
            for start in stride(from: 0, to: leads.count, by: 500) {
                let sent = SQLStatements.pairs("sent", leads[start..<min(start + 500, leads.count)].map { (id: $0.emailID, value: $0.leadID) })
                try await sql.raw(
                    sent + """
                        UPDATE export_items SET status = 'sent', sequencer_lead_id = sent.value, error = NULL, updated_at = \(bind: now)
                        FROM sent WHERE export_items.run_id = \(bind: runID) AND export_items.email_id = sent.id
                        """
                ).run()
                try await sql.raw(
                    sent + """
                        UPDATE generated_emails SET status = 'sent', export_campaign_id = \(bind: campaignID), export_campaign_name = \(bind: campaignName),
                        sequencer_lead_id = sent.value, sent_at = \(bind: now), export_error = NULL
                        FROM sent WHERE generated_emails.id = sent.id AND generated_emails.status IN \(unsafeRaw: Self.approved)
                        """
                ).run()
            }
            // Outcomes that arrived before the ledger knew these leads were taken.
            try await OutcomeRecorder.attachWaiting(sql, clientID: clientID, campaignID: campaignID, now: now)
        }
    }
}
