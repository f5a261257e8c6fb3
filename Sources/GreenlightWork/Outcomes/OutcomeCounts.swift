import Foundation
import SQLKit
import GreenlightCore

/// What a client's sequencer has told Greenlight so far, for the export page: events stored,
/// those kept aside (a lead Greenlight did not send) and those of a type it does not know, and when
/// the last one arrived.
public struct OutcomeCounts: Sendable, Equatable {
    public var stored = 0
    public var keptAside = 0
    public var unknownTypes = 0
    public var lastReceivedAt: Int?

    public static func load(_ database: Database, clientID: Int) async throws -> OutcomeCounts {
        try await database.read { sql in
            guard
                let row = try await sql.raw(
                    """
                    SELECT COUNT(*) AS stored, COALESCE(SUM(CASE WHEN email_id IS NULL AND kind <> 'other' THEN 1 ELSE 0 END), 0) AS aside,
                    COALESCE(SUM(CASE WHEN kind = 'other' THEN 1 ELSE 0 END), 0) AS unknown, MAX(received_at) AS last
                    FROM outcome_events WHERE client_id = \(bind: clientID)
                    """
                ).first()
            else { return OutcomeCounts() }
            return OutcomeCounts(
                stored: try row.decode(column: "stored", as: Int.self), keptAside: try row.decode(column: "aside", as: Int.self),
                unknownTypes: try row.decode(column: "unknown", as: Int.self), lastReceivedAt: try row.decode(column: "last", as: Int?.self))
        }
    }
}
