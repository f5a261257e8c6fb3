import Foundation
import SQLKit
import GreenlightCore

/// Reads import batches and their reports.
public struct BatchRepository: Sendable {
    /// A batch as its report page shows it.
    public struct Batch: Sendable {
        public var id: Int
        public var clientID: Int
        public var clientName: String
        public var templateName: String
        public var fileName: String
        public var status: BatchStatus
        public var rowsTotal: Int
        public var rowsImported: Int
        public var skipped: [ImportReport.SkippedRow]
        public var drafted: Int
        /// Whether drafting was asked for: queued for the workers, or under way or done in the foreground.
        public var draftingAsked: Bool
    }

    /// A past import as the import page lists it.
    public struct Listed: Sendable {
        public var id: Int
        public var clientName: String
        public var templateName: String
        public var fileName: String
        public var status: BatchStatus
        public var rowsTotal: Int
        public var rowsImported: Int
        public var createdAt: Int
        public var byName: String?
    }

    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The newest imports of these clients (nil: all), newest first.
    public func recent(clientIDs: [Int]?, limit: Int = 50) async throws -> [Listed] {
        let query =
            SQLQueryString(
                """
                SELECT b.id, c.name AS client_name, t.name AS template_name, b.file_name, b.status, b.rows_total, b.rows_imported, b.created_at, u.name AS by_name
                FROM contact_batches b JOIN clients c ON c.id = b.client_id JOIN templates t ON t.id = b.template_id LEFT JOIN users u ON u.id = b.created_by
                WHERE 1 = 1
                """) + SQLStatements.visible("b.client_id", to: clientIDs)
            + SQLQueryString(" ORDER BY b.id DESC LIMIT \(literal: max(1, min(limit, 500)))")
        return try await database.read { sql in
            try await sql.raw(query).all().map { row in
                Listed(
                    id: try row.decode(column: "id", as: Int.self), clientName: try row.decode(column: "client_name", as: String.self),
                    templateName: try row.decode(column: "template_name", as: String.self),
                    fileName: try row.decode(column: "file_name", as: String.self),
                    status: try row.decode(status: "status", as: BatchStatus.self), rowsTotal: try row.decode(column: "rows_total", as: Int.self),
                    rowsImported: try row.decode(column: "rows_imported", as: Int.self),
                    createdAt: try row.decode(column: "created_at", as: Int.self),
                    byName: try row.decode(column: "by_name", as: String?.self))
            }
        }
    }

    public func find(id: Int) async throws -> Batch? {
        try await database.read { sql in
            guard
                let row = try await sql.raw(
                    """
                    SELECT b.id, b.client_id, c.name AS client_name, t.name AS template_name, b.file_name, b.status, b.rows_total, b.rows_imported, b.skipped_json, b.queued_at,
                    (SELECT COUNT(*) FROM generated_emails e WHERE e.batch_id = b.id) AS drafted
                    FROM contact_batches b JOIN clients c ON c.id = b.client_id JOIN templates t ON t.id = b.template_id WHERE b.id = \(bind: id)
                    """
                ).first()
            else { return nil }
            return Batch(
                id: try row.decode(column: "id", as: Int.self),
                clientID: try row.decode(column: "client_id", as: Int.self),
                clientName: try row.decode(column: "client_name", as: String.self),
                templateName: try row.decode(column: "template_name", as: String.self),
                fileName: try row.decode(column: "file_name", as: String.self),
                status: try row.decode(status: "status", as: BatchStatus.self),
                rowsTotal: try row.decode(column: "rows_total", as: Int.self),
                rowsImported: try row.decode(column: "rows_imported", as: Int.self),
                skipped: try JSONText.decode([ImportReport.SkippedRow].self, from: row.decode(column: "skipped_json", as: String.self)),
                drafted: try row.decode(column: "drafted", as: Int.self),
                draftingAsked: try row.decode(column: "queued_at", as: Int?.self) != nil
                    || [.generating, .generated, .failed].contains(try row.decode(status: "status", as: BatchStatus.self))
            )
        }
    }
}
