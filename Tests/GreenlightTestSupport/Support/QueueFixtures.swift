import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing

/// Bulk rows for the query-plan and migration tests.
package enum QueueFixtures {
    /// Copies the seed's first contact and email `rows` times over the clients, every status, scores
    /// 0–100 and creation times a minute apart (two statements: the table is filled in seconds).
    package static func fill(_ database: Database, clients: [Int], rows: Int) async throws {
        try await database.write { sql in
            func columns(_ table: String) async throws -> [String] {
                try await sql.raw(
                    """
                    SELECT column_name FROM information_schema.columns
                    WHERE table_name = \(bind: table) AND column_name <> 'id' AND is_generated = 'NEVER' ORDER BY ordinal_position
                    """
                ).all().map { try $0.decode(column: "column_name", as: String.self) }
            }
            let contactColumns = try await columns("contacts")
            let contactValues = contactColumns.map {
                ["email": "'fill' || g || '@fill.example'", "email_normalized": "'fill' || g || '@fill.example'"][$0] ?? "c.\($0)"
            }
            try await sql.raw(
                SQLQueryString(
                    """
                    INSERT INTO contacts (\(unsafeRaw: contactColumns.joined(separator: ", ")))
                    SELECT \(unsafeRaw: contactValues.joined(separator: ", ")) FROM contacts c CROSS JOIN generate_series(1, \(literal: rows)) AS g
                    WHERE c.id = (SELECT MIN(id) FROM contacts)
                    """)
            ).run()
            let emailColumns = try await columns("generated_emails")
            let statuses = ReviewStatus.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            let replaced: [String: String] = [
                "contact_id": "f.id",
                "client_id": "(ARRAY[\(clients.map(String.init).joined(separator: ", "))])[1 + f.g % \(clients.count)]",
                "quality_score": "f.g % 101",
                "status": "(ARRAY[\(statuses)])[1 + (f.g / 7) % \(ReviewStatus.allCases.count)]",
                "created_at": "1767225600000 + f.g * 60000",
                "claimed_by": "NULL", "claimed_at": "NULL", "claim_expires_at": "NULL",
            ]
            let values = emailColumns.map { replaced[$0] ?? "e.\($0)" }.joined(separator: ", ")
            try await sql.raw(
                SQLQueryString(
                    """
                    INSERT INTO generated_emails (\(unsafeRaw: emailColumns.joined(separator: ", ")))
                    SELECT \(unsafeRaw: values) FROM generated_emails e
                    CROSS JOIN (SELECT id, CAST(substr(email, 5, position('@' IN email) - 5) AS BIGINT) AS g FROM contacts WHERE email LIKE 'fill%') AS f
                    WHERE e.id = (SELECT MIN(id) FROM generated_emails)
                    """)
            ).run()
        }
    }
}
