import Hummingbird
import NIOCore
import Prometheus
import SQLKit
import GreenlightCore
import GreenlightEmails

/// `GET /metrics`: the server's figures in Prometheus's text format, for an admin's session or a
/// scraper presenting `GREENLIGHT_METRICS_TOKEN`. What the database holds is read at each scrape
/// (every instance reports the same figures for it): emails awaiting review and claims held per
/// client, contacts of queued batches still to draft. Counters and latencies are this instance's.
struct MetricsController {
    let database: Database
    let metrics: AppMetrics
    let clock: TimeSource

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/metrics", use: scrape)
    }

    @Sendable func scrape(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await readDatabaseFigures()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16_384)
        metrics.registry.emit(into: &buffer)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }

    private func readDatabaseFigures() async throws {
        let now = clock.nowMillis()
        let (perClient, waiting) = try await database.read { sql in
            let perClient = try await sql.raw(
                """
                SELECT c.name AS client, COUNT(e.id) AS awaiting,
                COALESCE(SUM(CASE WHEN e.claim_expires_at > \(bind: now) THEN 1 ELSE 0 END), 0) AS claimed
                FROM clients c LEFT JOIN generated_emails e ON e.client_id = c.id AND e.status IN \(unsafeRaw: ReviewStatus.awaitingSQL)
                GROUP BY c.id, c.name
                """
            ).all().map { row in
                (
                    try row.decode(column: "client", as: String.self), try row.decode(column: "awaiting", as: Int.self),
                    try row.decode(column: "claimed", as: Int.self)
                )
            }
            let waiting =
                try await sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM contacts c JOIN contact_batches b ON b.id = c.batch_id
                    WHERE b.queued_at IS NOT NULL AND b.status IN ('imported', 'generating') AND c.status = 'pending'
                    """
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            return (perClient, waiting)
        }
        for (client, awaiting, claimed) in perClient {
            metrics.registry.makeGauge(
                name: "greenlight_queue_depth", labels: [("client", client)], help: "Emails awaiting review (pending or sampled)"
            ).set(Double(awaiting))
            metrics.registry.makeGauge(name: "greenlight_claims_held", labels: [("client", client)], help: "Emails a reviewer holds a live claim on")
                .set(Double(claimed))
        }
        metrics.registry.makeGauge(name: "greenlight_drafting_waiting_contacts", help: "Contacts of queued batches not drafted yet").set(
            Double(waiting))
    }
}
