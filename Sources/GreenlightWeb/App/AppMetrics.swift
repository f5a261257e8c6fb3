import CoreMetrics
import Metrics
import Prometheus
import GreenlightCore

/// The server's own figures (issue 17), kept through swift-metrics with swift-prometheus and served
/// in Prometheus's text format at `/metrics`: requests and their latency per route, decisions,
/// imports, drafting and exports. Each app keeps its own registry — never the process-wide
/// bootstrap — so several apps in one process (the tests) keep theirs apart. Figures about the
/// database (queue depth, claims held, contacts waiting to be drafted) are read when scraped.
public final class AppMetrics: WorkMetrics {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2_500), .seconds(5), .seconds(10), .seconds(30),
        ]
        self.factory = factory
    }

    /// One answered request: its route pattern (`/review/{id}`, so ids do not multiply the series) and status.
    func request(method: String, route: String, status: Int, duration: Duration) {
        CoreMetrics.Counter(
            label: "greenlight_http_requests_total", dimensions: [("method", method), ("route", route), ("status", String(status))],
            factory: factory
        ).increment()
        CoreMetrics.Timer(label: "greenlight_http_request_duration_seconds", dimensions: [("method", method), ("route", route)], factory: factory)
            .record(duration: duration)
    }

    /// A human decision (approve, edit, reject) saved.
    public func decided(_ action: String) {
        CoreMetrics.Counter(label: "greenlight_decisions_total", dimensions: [("action", action)], factory: factory).increment()
    }

    /// An import finished: rows imported and skipped, how long it took, and where it came from (`upload`, `api`).
    public func imported(rows: Int, skipped: Int, duration: Duration, source: String) {
        CoreMetrics.Counter(label: "greenlight_import_rows_total", dimensions: [("source", source), ("outcome", "imported")], factory: factory)
            .increment(by: rows)
        CoreMetrics.Counter(label: "greenlight_import_rows_total", dimensions: [("source", source), ("outcome", "skipped")], factory: factory)
            .increment(by: skipped)
        CoreMetrics.Timer(label: "greenlight_import_duration_seconds", dimensions: [("source", source)], factory: factory).record(duration: duration)
    }

    /// A drafting worker stored a handful: contacts drafted and failed, and how long the handful took.
    public func drafted(stored: Int, failed: Int, duration: Duration) {
        CoreMetrics.Counter(label: "greenlight_drafted_contacts_total", dimensions: [("outcome", "drafted")], factory: factory).increment(by: stored)
        CoreMetrics.Counter(label: "greenlight_drafted_contacts_total", dimensions: [("outcome", "failed")], factory: factory).increment(by: failed)
        CoreMetrics.Timer(label: "greenlight_drafting_round_duration_seconds", dimensions: [], factory: factory).record(duration: duration)
    }

    /// An export run ended: emails sent, its outcome (`finished`, `failed`, …) and how long it took.
    public func exported(sent: Int, outcome: String, duration: Duration) {
        CoreMetrics.Counter(label: "greenlight_exported_emails_total", dimensions: [], factory: factory).increment(by: sent)
        CoreMetrics.Counter(label: "greenlight_export_runs_total", dimensions: [("outcome", outcome)], factory: factory).increment()
        CoreMetrics.Timer(label: "greenlight_export_run_duration_seconds", dimensions: [], factory: factory).record(duration: duration)
    }
}
