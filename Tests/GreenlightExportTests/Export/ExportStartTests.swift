import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import HTTPTypes
import Logging
import SQLKit
import Testing
import GreenlightTestSupport

/// One export task per client, whatever starts it (issue 27, item 1): two starts close together —
/// from the API, the page, the scheduler — against a slow sequencer make one campaign and send each
/// lead once, the second start refused naming the run, who started it and since when; a task whose
/// lease was taken over writes nothing and calls nothing. The lease lives as long as its task
/// (item 2): renewed while a remote call outlasts it, taken early only from a process gone for sure.
@Suite("Export: one task at a time", .timeLimit(.minutes(15)))
struct ExportStartTests {
    static let box = try! SecretBox(base64Key: SecretBox.makeKey())

    /// The app on a fake sequencer answering every call after `latency`, 12 approved emails, a
    /// manager "Boss" signed in and a manager API key "make".
    static func withExportApp(
        _ dialect: DatabaseDialect, _ vendor: FakeSequencer.Vendor, latency: Duration = .milliseconds(200),
        _ body: @escaping @Sendable (Database, Seed, FakeSequencer, WebClient, WebClient, String) async throws -> Void
    ) async throws {
        try await FakeSequencer.run(vendor) { fake, baseURL in
            fake.set { $0.latency = latency }
            let factory = SequencerFactory(instantlyBaseURL: baseURL, smartleadBaseURL: baseURL, sleep: { _ in })
            try await withApp(dialect, secretBox: box, sequencers: factory) { database, client in
                let seed = try await Seed.make(database, contacts: 14)
                _ = try await Seed.user(database, email: "boss@team.example", role: .manager, name: "Boss")
                try await ClientSecrets(database: database, box: box).set(
                    clientID: seed.clientID, sequencerKind: vendor.rawValue, sequencerKey: fake.key, slackWebhook: nil)
                let ids = try await ReviewQueue(database: database).page(QueueFilter(), limit: 12).emails.map(\.id)
                for id in ids { _ = try await ReviewDecider(database: database).decide(.approve, emailID: id, by: Reviewer(id: nil, name: "Sam")) }
                let key = try await APIKeyRepository(database: database).create(clientID: seed.clientID, name: "make", role: .manager)
                var boss = WebClient(client)
                _ = try await boss.login("boss@team.example")
                try await body(database, seed, fake, boss, WebClient(client), key)
            }
        }
    }

    static func startByAPI(_ api: inout WebClient, key: String) async throws -> WebClient.Page {
        try await api.request(
            "/api/v1/exports", method: .post, headers: [.authorization: "Bearer \(key)"],
            body: #"{"client": "Northwind Ledger"}"#, contentType: "application/json")
    }

    /// Every export run has ended, one campaign holds the 12 leads, each sent once by the fake's count.
    static func expectOnce(_ database: Database, _ fake: FakeSequencer, _ context: String) async throws {
        let open = try await database.read { sql in
            try await sql.raw("SELECT id, status FROM export_runs WHERE status = 'running'").all().count
        }
        #expect(open == 0, "\(context): every run ended")
        #expect(fake.allCampaigns.count == 1, "\(context): one campaign, not \(fake.allCampaigns.map(\.name))")
        #expect(
            fake.receivedCounts.count == 12 && fake.receivedCounts.values.allSatisfy { $0 == 1 }, "\(context): each lead once: \(fake.receivedCounts)"
        )
    }

    @Test(
        "two API starts 0.3 s or 0.01 s apart against a slow sequencer: one campaign, each lead once, the second answered 409 naming the run",
        arguments: DatabaseDialect.allCases, FakeSequencer.Vendor.allCases)
    func twoAPIStarts(_ dialect: DatabaseDialect, _ vendor: FakeSequencer.Vendor) async throws {
        for gap in [Duration.milliseconds(300), .milliseconds(10)] {
            try await Self.withExportApp(dialect, vendor) { database, _, fake, _, api, key in
                var api = api
                let first = try await Self.startByAPI(&api, key: key)
                #expect(first.status == .accepted, "\(first.text)")
                let runID = try #require(try first.json()["run_id"] as? Int)
                try await Task.sleep(for: gap)
                let second = try await Self.startByAPI(&api, key: key)
                #expect(second.status == .conflict, "gap \(gap): \(second.status) \(second.text)")
                let said = try second.json()["error"] as? [String: Any] ?? [:]
                #expect(said["code"] as? String == "busy")
                let message = said["message"] as? String ?? ""
                #expect(message.contains("already running (run \(runID)), started by API key make at "), "gap \(gap): \(message)")
                #expect(try await ExportFixtures.settled(database, runID: runID) == "finished")
                try await Self.expectOnce(database, fake, "API + API, \(gap) apart")
            }
        }
    }

    @Test(
        "the page and the API started together: the second is refused; while a run works the page shows who started it and no live Run now button",
        arguments: DatabaseDialect.allCases)
    func pageAndAPI(_ dialect: DatabaseDialect) async throws {
        // The page first, then the API.
        try await Self.withExportApp(dialect, .instantly) { database, seed, fake, boss, api, key in
            var boss = boss
            var api = api
            fake.set { $0.gateOn = "/api/v2/leads/add" }
            let started = try await boss.post("/clients/\(seed.clientID)/export/run")
            #expect(started.status == .seeOther)
            let runID = try #require(
                try await database.read { sql in
                    try await sql.raw("SELECT MAX(id) AS id FROM export_runs").first()?.decode(column: "id", as: Int?.self)
                })
            let second = try await Self.startByAPI(&api, key: key)
            #expect(second.status == .conflict && second.text.contains("(run \(runID)), started by Boss at "), "\(second.text)")
            let page = try await boss.request("/clients/\(seed.clientID)/export")
            #expect(page.text.contains("Export run \(runID) is running, started by Boss at "), "the sentence beside the button")
            #expect(
                page.text.contains("<button type=\"submit\" class=\"primary\" disabled aria-describedby=\"export-busy\">Run now</button>"),
                "Run now is disabled")
            #expect(
                !page.text.contains("<form method=\"post\" action=\"/clients/\(seed.clientID)/export/run\"><input type=\"hidden\""),
                "no live Run now form")
            let clicked = try await boss.post("/clients/\(seed.clientID)/export/run")
            let notice = try await boss.request(clicked.location ?? "/clients/\(seed.clientID)/export")
            #expect(notice.text.contains("already running (run \(runID)), started by Boss"), "a second click says who runs it")
            fake.openGate()
            #expect(try await ExportFixtures.settled(database, runID: runID) == "finished")
            try await Self.expectOnce(database, fake, "page + API")
            let after = try await boss.request("/clients/\(seed.clientID)/export")
            #expect(
                after.text.contains("action=\"/clients/\(seed.clientID)/export/run\"><input type=\"hidden\"") && !after.text.contains("export-busy"),
                "Run now is back once the run ended")
        }
        // The API first, then the page.
        try await Self.withExportApp(dialect, .instantly, latency: .milliseconds(300)) { database, seed, fake, boss, api, key in
            var boss = boss
            var api = api
            let first = try await Self.startByAPI(&api, key: key)
            let runID = try #require(try first.json()["run_id"] as? Int)
            let clicked = try await boss.post("/clients/\(seed.clientID)/export/run")
            let notice = try await boss.request(clicked.location ?? "/clients/\(seed.clientID)/export")
            #expect(notice.text.contains("already running (run \(runID)), started by API key make"), "\(notice.text.count)")
            #expect(try await ExportFixtures.settled(database, runID: runID) == "finished")
            try await Self.expectOnce(database, fake, "API + page")
        }
    }

    @Test("the scheduler's tick and the page together: one task works, the other is refused or skipped", arguments: DatabaseDialect.allCases)
    func schedulerAndPage(_ dialect: DatabaseDialect) async throws {
        for pageFirst in [true, false] {
            try await Self.withExportApp(dialect, .instantly) { database, seed, fake, boss, _, _ in
                var boss = boss
                // The export hour has struck (hour 0), so the tick exports the client today.
                try await database.write { sql in try await sql.raw("UPDATE clients SET export_hour = 0").run() }
                var logger = Logger(label: "schedule-test")
                logger.logLevel = .critical
                let scheduled = Exporter(
                    database: database, secrets: ClientSecrets(database: database, box: Self.box),
                    factory: SequencerFactory(instantlyBaseURL: fake.baseURL, sleep: { _ in }), logger: logger)
                let scheduler = ExportScheduler(database: database, exporter: scheduled, logger: logger)
                fake.set { $0.gateOn = "/api/v2/leads/add" }
                if pageFirst {
                    _ = try await boss.post("/clients/\(seed.clientID)/export/run")
                    try await fake.waitAtGate(1)
                    let outcomes = await scheduler.tick()
                    #expect(outcomes.isEmpty, "the tick skips a client another task works on")
                    fake.openGate()
                } else {
                    let tick = Task { await scheduler.tick() }
                    try await fake.waitAtGate(1)
                    let clicked = try await boss.post("/clients/\(seed.clientID)/export/run")
                    let notice = try await boss.request(clicked.location ?? "/clients/\(seed.clientID)/export")
                    #expect(notice.text.contains("started by the daily schedule"), "the page says the schedule runs it")
                    fake.openGate()
                    #expect(await tick.value[seed.clientID]?.status == "finished")
                }
                let last = try #require(
                    try await database.read { sql in
                        try await sql.raw("SELECT MAX(id) AS id FROM export_runs").first()?.decode(column: "id", as: Int?.self)
                    })
                #expect(try await ExportFixtures.settled(database, runID: last) == "finished")
                try await Self.expectOnce(database, fake, pageFirst ? "page + tick" : "tick + page")
            }
        }
    }

    @Test(
        "a task whose lease was taken over writes nothing and calls the sequencer for nothing", arguments: DatabaseDialect.allCases,
        FakeSequencer.Vendor.allCases)
    func staleToken(_ dialect: DatabaseDialect, _ vendor: FakeSequencer.Vendor) async throws {
        try await ExportTests.with(dialect, vendor) { setup, fake in
            let ids = try await ExportTests.approve(setup, count: 6)
            // A run stopped after recording its campaign, before creating it: the next task would create it.
            let crashing = ExportTests.exporter(setup, afterStep: { step in if step == .campaignRecorded { throw ExportTests.Crash() } })
            await #expect(throws: ExportTests.Crash.self) { try await crashing.run(clientID: setup.seed.clientID) }
            let exporter = ExportTests.exporter(setup)
            let stale = try await exporter.takeLease(clientID: setup.seed.clientID, clientName: "Northwind Ledger", by: "a test")
            // Another task takes the lease over (ours ran out while it stalled).
            try await ExportTests.holdLease(setup, owner: "elsewhere:1:newer", process: nil)
            let before = try await Self.ledgerRows(setup.database)
            await #expect(throws: ExportLeaseLost.self) { try await exporter.run(clientID: setup.seed.clientID, holding: stale, trigger: .manual) }
            #expect(try await Self.ledgerRows(setup.database) == before, "nothing written")
            #expect(fake.requests == 0 && fake.allCampaigns.isEmpty, "nothing asked of the sequencer")
            #expect(try await ExportFixtures.statuses(setup.database, ids).allSatisfy { $0 == "approved" || $0 == "approved_edited" })
            let holder = try await setup.database.read { sql in
                try await sql.raw("SELECT export_lease_owner FROM clients").first()?.decode(column: "export_lease_owner", as: String?.self)
            }
            #expect(holder == "elsewhere:1:newer", "the stale task did not release its successor's lease")
        }
    }

    /// Every ledger row, as text, to compare before and after.
    static func ledgerRows(_ database: Database) async throws -> [String] {
        try await database.read { sql in
            var rows: [String] = []
            for row in try await sql.raw("SELECT id, status, claimed, sent, failed FROM export_runs ORDER BY id").all() {
                rows.append(
                    "run \(try row.decode(column: "id", as: Int.self)) \(try row.decode(column: "status", as: String.self)) \(try row.decode(column: "claimed", as: Int.self))"
                )
            }
            for row in try await sql.raw("SELECT id, status, campaign_id FROM export_campaigns ORDER BY id").all() {
                rows.append(
                    "campaign \(try row.decode(column: "id", as: Int.self)) \(try row.decode(column: "status", as: String.self)) \(try row.decode(column: "campaign_id", as: String?.self) ?? "-")"
                )
            }
            for row in try await sql.raw("SELECT run_id, email_id, status FROM export_items ORDER BY run_id, email_id").all() {
                rows.append(
                    "item \(try row.decode(column: "run_id", as: Int.self)) \(try row.decode(column: "email_id", as: Int.self)) \(try row.decode(column: "status", as: String.self))"
                )
            }
            return rows
        }
    }

    @Test(
        "a remote call that outlasts the lease: the lease is renewed in the background, so a second exporter stays out",
        arguments: DatabaseDialect.allCases, FakeSequencer.Vendor.allCases)
    func renewedWhileWaiting(_ dialect: DatabaseDialect, _ vendor: FakeSequencer.Vendor) async throws {
        try await ExportTests.with(dialect, vendor) { setup, fake in
            _ = try await ExportTests.approve(setup, count: 6)
            fake.set { $0.gateOn = vendor == .instantly ? "/api/v2/campaigns" : "/campaigns/create" }
            var logger = Logger(label: "renewal-test")
            logger.logLevel = .critical
            let factory = SequencerFactory(instantlyBaseURL: setup.baseURL, smartleadBaseURL: setup.baseURL, sleep: { _ in })
            let slow = Exporter(
                database: setup.database, secrets: setup.secrets, factory: factory, clock: setup.clock.source, logger: logger,
                owner: "instance-a", leaseSeconds: 300, renewalCheck: .milliseconds(10))
            let running = Task { try await slow.run(clientID: setup.seed.clientID) }
            try await fake.waitAtGate(1)
            // 400 s pass on the task's clock while the call waits: more than the 300 s lease.
            for _ in 0..<4 {
                setup.clock.advance(by: .seconds(100))
                try await Self.waitForLease(setup, until: setup.clock.nowMillis + 250_000)
            }
            await #expect(throws: ExportBusy.self, "the live task keeps its lease") {
                try await ExportTests.exporter(setup, owner: "instance-b").run(clientID: setup.seed.clientID)
            }
            fake.openGate()
            let outcome = try await running.value
            #expect(outcome.status == "finished" && outcome.sent == 6, "\(outcome)")
            #expect(fake.allCampaigns.count == 1 && fake.receivedCounts.values.allSatisfy { $0 == 1 })
        }
    }

    /// Waits (30 s at most) until the lease is held until at least `until` on the test's clock.
    static func waitForLease(_ setup: ExportTests.Setup, until: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let expires = try await setup.database.read { sql in
                try await sql.raw("SELECT export_lease_expires_at FROM clients").first()?.decode(column: "export_lease_expires_at", as: Int?.self)
            }
            if let expires, expires >= until { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the lease was not renewed to \(until)")
    }
}
