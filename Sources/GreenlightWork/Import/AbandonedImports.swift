import Foundation
public import Logging
import SQLKit
import GreenlightCore

/// Finds imports that a killed process left half done — batches still `importing` with no progress
/// for a while — and removes them with their contacts, so those addresses can be imported again.
/// Run at start-up (`greenlight serve`, every command, `greenlight migrate`).
///
/// A running import touches its batch after every chunk of 1,000 rows (a fraction of a second), so
/// several minutes without progress means nobody is importing it any more.
public struct AbandonedImports: Sendable {
    /// Without progress for this long, an `importing` batch is abandoned.
    public static let staleAfter = 5 * 60 * 1000

    let database: Database
    let clock: TimeSource

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    /// Removes every abandoned import; returns the ids of the batches removed.
    @discardableResult
    public func remove(logger: Logger) async throws -> [Int] {
        let cutoff = clock.nowMillis() - Self.staleAfter
        let stale = try await database.read { sql in
            try await sql.raw(
                """
                SELECT id, file_name FROM contact_batches
                WHERE status = \(bind: BatchStatus.importing.rawValue) AND COALESCE(progress_at, created_at) <= \(bind: cutoff) ORDER BY id
                """
            ).all().map { (try $0.decode(column: "id", as: Int.self), try $0.decode(column: "file_name", as: String.self)) }
        }
        for (id, fileName) in stale {
            let contacts = try await database.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM contacts WHERE batch_id = \(bind: id)").first()?.decode(column: "n", as: Int.self) ?? 0
            }
            try await ImportBatchWriter(database: database, clientID: 0, clock: clock).discard(batchID: id)
            logger.warning(
                "removed an abandoned import (no progress for \(Self.staleAfter / 60_000) minutes)",
                metadata: [
                    "batch": .stringConvertible(id), "file": .string(fileName), "contacts_removed": .stringConvertible(contacts),
                ])
        }
        return stale.map(\.0)
    }
}
