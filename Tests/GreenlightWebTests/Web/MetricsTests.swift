import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import GreenlightTestSupport

/// `/metrics` on both databases: Prometheus text for an admin or the scraper's token, refused to
/// others; requests counted per route pattern and status, decisions, imports and the queue's depth,
/// claims and drafting backlog read from the database; every answer carries its request id, which
/// the request's log lines carry too.
@Suite("Metrics")
struct MetricsTests {
    static let token = String(repeating: "s3cr3t", count: 5)

    @Test("Prometheus text with the requests, decisions, imports, queue depth, claims and drafting backlog", arguments: DatabaseDialect.allCases)
    func scrape(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 12)
            _ = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            _ = try await Seed.user(database, email: "root@team.example", role: .admin, name: "Root")
            let logs = CapturedLogs()
            var configuration = AppConfiguration(paths: TestDatabase.paths, bcryptCost: 4)
            configuration.metricsToken = Self.token
            let metrics = configuration.metrics
            let app = try await buildApplication(configuration: configuration, database: database, logger: logs.logger())
            try await app.test(.router) { client in
                var anonymous = WebClient(client)
                #expect(try await anonymous.request("/metrics").status == .unauthorized)
                #expect(
                    try await anonymous.request("/metrics", headers: [.authorization: "Bearer wrong-token-wrong-token-wrong"]).status == .unauthorized
                )
                #expect(
                    try await anonymous.request("/api/v1/emails", headers: [.authorization: "Bearer \(Self.token)"]).status == .unauthorized,
                    "the scraper's token opens /metrics and nothing else")

                var sam = WebClient(client)
                let failed = try await sam.login("sam@team.example", password: "wrong password")
                let requestID = try #require(failed.headers[HTTPField.Name("X-Request-Id")!])
                #expect(logs.text.contains("failed login") && logs.text.contains(requestID), "the log line carries the answer's request id")
                _ = try await sam.login("sam@team.example")
                #expect(try await sam.request("/metrics").status == .forbidden)
                let emails = try await ReviewQueue(database: database).page(QueueFilter(), limit: 3).emails.map(\.id)
                #expect(try await sam.request("/review/\(emails[0])").status == .ok, "opening a card claims it")
                _ = try await sam.post("/review/\(emails[1])/approve")
                _ = try await sam.post("/review/\(emails[2])/reject", [("reason", "wrong_persona")])

                let manager = try await APIKeyRepository(database: database).create(clientID: seed.clientID, name: "make", role: .manager)
                var api = WebClient(client)
                let job = try await api.request(
                    "/api/v1/campaigns/generate", method: .post, headers: [.authorization: "Bearer \(manager)"],
                    body:
                        #"{"template": "Northwind intro EN", "contacts": [{"email": "a@one.example", "company_name": "One"}, {"email": "bad", "company_name": "Two"}]}"#,
                    contentType: "application/json")
                #expect(job.status == .accepted)

                var root = WebClient(client)
                _ = try await root.login("root@team.example")
                let page = try await root.request("/metrics")
                #expect(page.status == .ok && page.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let scraper = try await anonymous.request("/metrics", headers: [.authorization: "Bearer \(Self.token)"])
                #expect(scraper.status == .ok)
                for line in [
                    #"greenlight_http_requests_total{method="GET",route="/review/{id}",status="200"} 1"#,
                    #"greenlight_http_requests_total{method="POST",route="/login",status="303"}"#,
                    #"greenlight_http_requests_total{method="GET",route="/metrics",status="403"} 1"#,
                    #"greenlight_http_request_duration_seconds_count{method="GET",route="/review/{id}"} 1"#,
                    #"greenlight_decisions_total{action="approve"} 1"#,
                    #"greenlight_decisions_total{action="reject"} 1"#,
                    #"greenlight_import_rows_total{source="api",outcome="imported"} 1"#,
                    #"greenlight_import_rows_total{source="api",outcome="skipped"} 1"#,
                    #"greenlight_queue_depth{client="Northwind Ledger"} 10"#,
                    #"greenlight_claims_held{client="Northwind Ledger"} 1"#,
                    "greenlight_drafting_waiting_contacts 1",
                ] {
                    #expect(scraper.text.contains(line), "missing: \(line)\n\(scraper.text)")
                }
                #expect(!scraper.text.contains("/review/\(emails[0])"), "routes are patterns, never one series per id")

                // A worker drafting with the server's metrics: its contacts counted, the backlog read again at the next scrape.
                #expect(try await DraftWorker(database: database, filler: ContextPackFiller(), metrics: metrics).runUntilIdle() == 1)
                let after = try await anonymous.request("/metrics", headers: [.authorization: "Bearer \(Self.token)"]).text
                #expect(
                    after.contains(#"greenlight_drafted_contacts_total{outcome="drafted"} 1"#)
                        && after.contains("greenlight_drafting_waiting_contacts 0")
                        && after.contains("greenlight_drafting_round_duration_seconds_count 1"), "\(after)")
            }
        }
    }

    @Test("the scraper's token is checked when the server starts")
    func token() throws {
        #expect(try MetricsToken.fromEnvironment([:]) == nil)
        #expect(try MetricsToken.fromEnvironment(["GREENLIGHT_METRICS_TOKEN": Self.token]) == Self.token)
        #expect(throws: ConfigurationError.self) { try MetricsToken.fromEnvironment(["GREENLIGHT_METRICS_TOKEN": "short"]) }
        #expect(throws: ConfigurationError.self) {
            try MetricsToken.fromEnvironment(["GREENLIGHT_METRICS_TOKEN": String(repeating: "a b ", count: 8)])
        }
    }
}
