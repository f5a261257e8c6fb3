import Foundation
import SQLKit
import GreenlightCore

/// Writes one import's batch and its contacts a chunk at a time, each chunk in its own short
/// transaction, so an import of any size never holds the database's single writer for long.
///
/// The batch is `importing` from ``create(templateID:fileName:userID:)`` until
/// ``finish(batchID:rowsRead:imported:skipped:)`` marks it `imported` with its counts; until then its
/// contacts are not ready to draft (``DraftGenerator`` refuses such a batch).
/// ``discard(batchID:)`` removes the batch and its contacts, chunk by chunk too, when an import fails.
struct ImportBatchWriter: Sendable {
    /// What inserting one chunk did.
    struct ChunkResult: Sendable {
        var imported: Int
        var skipped: [ImportReport.SkippedRow]
    }

    let database: Database
    let clientID: Int
    let clock: TimeSource

    /// Creates the batch, marked `importing`, and returns its id.
    func create(templateID: Int, fileName: String, userID: Int?) async throws -> Int {
        let now = clock.nowMillis()
        return try await database.write { sql in
            if let client = try await sql.raw("SELECT name FROM clients WHERE id = \(bind: clientID) AND archived_at IS NOT NULL").first() {
                let name = try client.decode(column: "name", as: String.self)
                throw ImportError("\(name) is archived: an admin restores it from the clients page before anything is imported")
            }
            if let template = try await sql.raw("SELECT name FROM templates WHERE id = \(bind: templateID) AND retired_at IS NOT NULL").first() {
                let name = try template.decode(column: "name", as: String.self)
                throw ImportError("the template \(name) is retired: no new drafts use it. Choose another, or restore it on the client's page")
            }
            guard
                let row = try await sql.raw(
                    """
                    INSERT INTO contact_batches (client_id, template_id, file_name, status, rows_total, rows_imported, rows_skipped, skipped_json, created_by, created_at, progress_at)
                    VALUES (\(bind: clientID), \(bind: templateID), \(bind: fileName), \(bind: BatchStatus.importing.rawValue), 0, 0, 0, '[]', \(bind: userID), \(bind: now), \(bind: now))
                    RETURNING id
                    """
                ).first()
            else { throw StorageError("creating the batch returned no id") }
            return try row.decode(column: "id", as: Int.self)
        }
    }

    /// Inserts `rows` into the batch in one transaction, leaving out each row whose address the client
    /// already has (`ON CONFLICT … DO NOTHING … RETURNING` the rows that went in), then reads which batch
    /// and row hold the addresses of the rows left out, to say why: an earlier row of this file, or an
    /// earlier import.
    ///
    /// Rows go in in address order, so concurrent imports on PostgreSQL wait for each other's row locks
    /// in one order and cannot deadlock; of two rows with one address, the earlier row wins.
    func insert(_ rows: [ContactRow], batchID: Int) async throws -> ChunkResult {
        guard !rows.isEmpty else { return ChunkResult(imported: 0, skipped: []) }
        // Addresses on the client's suppression list are reported, not imported (and the export's
        // claim leaves them out too, should one be added between this read and the write).
        let suppressed = try await SuppressionList(database: database, clock: clock).matches(
            clientID: clientID, emails: Array(Set(rows.map(\.emailNormalized))))
        let held = rows.filter { suppressed[$0.emailNormalized] != nil }.map {
            ImportReport.SkippedRow(
                row: $0.rowNumber, email: $0.email, reason: "\(suppressed[$0.emailNormalized]?.sentence ?? "suppressed"), not drafted")
        }
        let rows = suppressed.isEmpty ? rows : rows.filter { suppressed[$0.emailNormalized] == nil }
        guard !rows.isEmpty else { return ChunkResult(imported: 0, skipped: held) }
        let sorted = rows.sorted { ($0.emailNormalized, $0.rowNumber) < ($1.emailNormalized, $1.rowNumber) }
        let extras = try sorted.map { try JSONText.encode($0.extra) }
        let now = clock.nowMillis()
        // Built before the transaction, so the writer is held only while the database works.
        var query = SQLQueryString(
            """
            INSERT INTO contacts (client_id, batch_id, row_number, first_name, last_name, email, email_normalized, company_name,
            website, linkedin_url, industry, extra_json, status, created_at) VALUES
            """)
        for (index, row) in sorted.enumerated() {
            if index > 0 { query += ", " }
            query += SQLQueryString(
                """
                (\(bind: clientID), \(bind: batchID), \(bind: row.rowNumber), \(bind: row.firstName), \(bind: row.lastName),
                \(bind: row.email), \(bind: row.emailNormalized), \(bind: row.companyName), \(bind: row.website), \(bind: row.linkedinURL),
                \(bind: row.industry), \(bind: extras[index]), 'pending', \(bind: now))
                """)
        }
        query += " ON CONFLICT (client_id, email_normalized) DO NOTHING RETURNING row_number"
        let insert = query
        let owners = try await database.write { sql in
            try await sql.raw("UPDATE contact_batches SET progress_at = \(bind: now) WHERE id = \(bind: batchID)").run()
            let inserted = Set(try await sql.raw(insert).all().map { try $0.decode(column: "row_number", as: Int.self) })
            let leftOut = Set(sorted.filter { !inserted.contains($0.rowNumber) }.map(\.emailNormalized))
            var owners = leftOut.isEmpty ? [:] : try await Self.owners(of: Array(leftOut), clientID: clientID, sql: sql)
            for row in sorted where inserted.contains(row.rowNumber) {
                owners[row.emailNormalized] = (batchID, row.rowNumber)
            }
            return owners
        }
        var imported = 0
        var skipped = held
        for row in rows {
            guard let owner = owners[row.emailNormalized] else {
                skipped.append(
                    .init(
                        row: row.rowNumber, email: row.email,
                        reason: "another import for this client held this address and was cancelled: import this row again"))
                continue
            }
            if owner.batchID == batchID, owner.rowNumber == row.rowNumber {
                imported += 1
            } else if owner.batchID == batchID {
                skipped.append(.init(row: row.rowNumber, email: row.email, reason: "duplicate of row \(owner.rowNumber) (same email, ignoring case)"))
            } else {
                skipped.append(.init(row: row.rowNumber, email: row.email, reason: "already imported for this client (batch \(owner.batchID))"))
            }
        }
        return ChunkResult(imported: imported, skipped: skipped)
    }

    /// Marks the batch `imported`, with its counts and the report of skipped rows — and queued for the
    /// drafting workers at `queuedAt` when given, in the same statement, so a job is never imported but
    /// left unqueued.
    func finish(batchID: Int, rowsRead: Int, imported: Int, skipped: [ImportReport.SkippedRow], queuedAt: Int? = nil) async throws {
        let skippedJSON = try JSONText.encode(skipped)
        try await database.write { sql in
            try await sql.raw(
                """
                UPDATE contact_batches SET status = 'imported', rows_total = \(bind: rowsRead), rows_imported = \(bind: imported),
                rows_skipped = \(bind: skipped.count), skipped_json = \(bind: skippedJSON),
                queued_at = CASE WHEN \(bind: imported) > 0 THEN CAST(\(bind: queuedAt) AS BIGINT) ELSE NULL END WHERE id = \(bind: batchID)
                """
            ).run()
        }
    }

    /// Deletes the batch and its contacts, a few thousand contacts per transaction; the batch row goes last.
    func discard(batchID: Int) async throws {
        while true {
            let removed = try await database.write { sql in
                let ids = try await sql.raw("SELECT id FROM contacts WHERE batch_id = \(bind: batchID) LIMIT 5000").all()
                    .map { try $0.decode(column: "id", as: Int.self) }
                if ids.isEmpty {
                    try await sql.raw("DELETE FROM contact_batches WHERE id = \(bind: batchID)").run()
                } else {
                    try await sql.raw("DELETE FROM contacts WHERE id IN (\(binds: ids))").run()
                }
                return ids.count
            }
            if removed == 0 { return }
        }
    }

    /// Normalised address → the batch and row of the contact that holds it, for the addresses given.
    private static func owners(of emails: [String], clientID: Int, sql: any SQLDatabase) async throws -> [String: (batchID: Int, rowNumber: Int)] {
        var owners: [String: (batchID: Int, rowNumber: Int)] = [:]
        let rows = try await sql.raw(
            """
            SELECT email_normalized, batch_id, row_number FROM contacts WHERE client_id = \(bind: clientID) AND email_normalized IN (\(binds: emails))
            """
        ).all()
        for row in rows {
            owners[try row.decode(column: "email_normalized", as: String.self)] = (
                try row.decode(column: "batch_id", as: Int.self), try row.decode(column: "row_number", as: Int.self)
            )
        }
        return owners
    }
}
