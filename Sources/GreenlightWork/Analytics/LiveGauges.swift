import GreenlightCore
import GreenlightEmails
import SQLKit

/// What the database holds right now, for `/metrics`: emails awaiting review and live claims per
/// client, and contacts of queued batches still to draft. Read at each scrape, so every instance
/// sharing the database reports the same figures.
public struct LiveGauges: Sendable, Equatable {
    /// One client's queue.
    public struct Client: Sendable, Equatable {
        public var name: String
        /// Emails awaiting review (pending or sampled).
        public var awaiting: Int
        /// Of those, the ones a reviewer holds a live claim on.
        public var claimed: Int
    }

    public var clients: [Client]
    /// Contacts of batches queued for the draft workers that are not drafted yet.
    public var draftingWaiting: Int

    /// Reads the gauges; `now` decides which claims are still live.
    public static func read(_ database: Database, now: Int) async throws -> LiveGauges {
        try await database.read { sql in
            let clients = try await sql.raw(
                """
                SELECT c.name AS client, COUNT(e.id) AS awaiting,
                COALESCE(SUM(CASE WHEN e.claim_expires_at > \(bind: now) THEN 1 ELSE 0 END), 0) AS claimed
                FROM clients c LEFT JOIN generated_emails e ON e.client_id = c.id AND e.status IN \(unsafeRaw: ReviewStatus.awaitingSQL)
                GROUP BY c.id, c.name
                """
            ).all().map { row in
                Client(
                    name: try row.decode(column: "client", as: String.self), awaiting: try row.decode(column: "awaiting", as: Int.self),
                    claimed: try row.decode(column: "claimed", as: Int.self))
            }
            let waiting =
                try await sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM contacts c JOIN contact_batches b ON b.id = c.batch_id
                    WHERE b.queued_at IS NOT NULL AND b.status IN \(unsafeRaw: BatchStatus.draftingSQL) AND c.status = 'pending'
                    """
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            return LiveGauges(clients: clients, draftingWaiting: waiting)
        }
    }
}
