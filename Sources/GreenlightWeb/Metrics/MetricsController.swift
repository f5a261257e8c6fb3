import Hummingbird
import NIOCore
import Prometheus
import GreenlightCore
import GreenlightWork

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
        let gauges = try await LiveGauges.read(database, now: clock.nowMillis())
        for client in gauges.clients {
            metrics.registry.makeGauge(
                name: "greenlight_queue_depth", labels: [("client", client.name)], help: "Emails awaiting review (pending or sampled)"
            ).set(Double(client.awaiting))
            metrics.registry.makeGauge(
                name: "greenlight_claims_held", labels: [("client", client.name)], help: "Emails a reviewer holds a live claim on"
            ).set(Double(client.claimed))
        }
        metrics.registry.makeGauge(name: "greenlight_drafting_waiting_contacts", help: "Contacts of queued batches not drafted yet").set(
            Double(gauges.draftingWaiting))
    }
}
