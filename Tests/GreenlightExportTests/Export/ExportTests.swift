import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Logging
import SQLKit
import Synchronization
import Testing
import GreenlightTestSupport

/// The export against fake Instantly and Smartlead servers on loopback, on both databases: one campaign per template
/// with its follow-ups, each approved email added once and marked sent with its ids; a run stopped
/// after any step resumes without adding a lead twice or losing one; a refused key, a 429 storm and
/// a failing sequencer leave the emails approved with the error; the kill switch stops new runs;
/// two exporters never work on one client at once.
@Suite("Export to Instantly and Smartlead", .timeLimit(.minutes(15)))
struct ExportTests {
    struct Setup: Sendable {
        var database: Database
        var seed: Seed
        var secrets: ClientSecrets
        var clock: ManualClock
        var baseURL: String
        var vendor: FakeSequencer.Vendor
    }

    /// A stop the hook throws, standing in for a crash.
    struct Crash: Error {}

    /// Makes the client's lease held by `owner` for 300 s, with the holder's process as recorded.
    static func holdLease(_ setup: Setup, owner: String, process: String?) async throws {
        try await setup.database.write { sql in
            try await sql.raw(
                """
                UPDATE clients SET export_lease_owner = \(bind: owner), export_lease_expires_at = \(bind: setup.clock.nowMillis + 300_000),
                export_lease_process = \(bind: process)
                """
            ).run()
        }
    }

    /// The run's outcome, or nil when it was refused because another exporter holds the client; any
    /// other error fails the test.
    static func outcomeOrBusy(_ run: @Sendable () async throws -> Exporter.Outcome) async throws -> Exporter.Outcome? {
        do {
            return try await run()
        } catch is ExportBusy {
            return nil
        }
    }

    static func exporter(
        _ setup: Setup, batchLimit: Int = 5, owner: String? = nil, retries: Int = 2, timeout: Duration = .seconds(30), notifier: SlackNotifier? = nil,
        afterStep: @escaping @Sendable (ExportStep) async throws -> Void = { _ in }
    ) -> Exporter {
        let factory = SequencerFactory(
            instantlyBaseURL: setup.baseURL, smartleadBaseURL: setup.baseURL,
            policy: RetryPolicy(timeout: timeout, maxRetries: retries), sleep: { _ in }
        ).batches(of: batchLimit)
        var logger = Logger(label: "export-test")
        logger.logLevel = .critical
        return Exporter(
            database: setup.database, secrets: setup.secrets, factory: factory, clock: setup.clock.source, logger: logger,
            owner: owner, notifier: notifier, afterStep: afterStep)
    }

    /// Approves `count` more pending emails (one in four edited), returns their ids.
    @discardableResult
    static func approve(_ setup: Setup, count: Int) async throws -> [Int] {
        let ids = try await ReviewQueue(database: setup.database).page(QueueFilter(), limit: count).emails.map(\.id)
        let decider = ReviewDecider(database: setup.database)
        for (index, id) in ids.enumerated() {
            _ = try await decider.decide(index % 4 == 3 ? .edit(body: "Edited for \(id).") : .approve, emailID: id, by: ExportFixtures.sam)
        }
        // Decisions are stamped by the wall clock; the export's clock runs after them.
        return ids
    }

    static func with(
        _ dialect: DatabaseDialect, _ vendor: FakeSequencer.Vendor = .instantly, contacts: Int = 40,
        _ body: @escaping @Sendable (Setup, FakeSequencer) async throws -> Void
    ) async throws {
        try await FakeSequencer.run(vendor) { fake, baseURL in
            try await TestDatabase.with(dialect) { database in
                let seed = try await Seed.make(database, contacts: contacts)
                let secrets = ClientSecrets(database: database, box: try SecretBox(base64Key: SecretBox.makeKey()))
                try await secrets.set(clientID: seed.clientID, sequencerKind: vendor.rawValue, sequencerKey: fake.key, slackWebhook: nil)
                let setup = Setup(
                    database: database, seed: seed, secrets: secrets, clock: ManualClock(startingAt: TimeSource.system.nowMillis() + 60_000),
                    baseURL: baseURL,
                    vendor: vendor)
                try await body(setup, fake)
            }
        }
    }

    /// The emails' statuses, in the order of `ids`.

    static func addresses(_ database: Database, _ ids: [Int]) async throws -> [String] {
        try await database.read { sql in
            try await sql.raw("SELECT contact_email FROM generated_emails WHERE id IN (\(binds: ids))").all().map {
                try $0.decode(column: "contact_email", as: String.self).lowercased()
            }
        }
    }

    @Test(
        "a run creates the campaign with its follow-ups, adds each approved email once with its reviewed text, and marks them sent",
        arguments: DatabaseDialect.allCases, FakeSequencer.Vendor.allCases)
    func exports(_ dialect: DatabaseDialect, _ vendor: FakeSequencer.Vendor) async throws {
        try await Self.with(dialect, vendor) { setup, fake in
            try await setup.database.write { sql in
                var settings = try await ExportSettings.load(sql, clientID: setup.seed.clientID)
                settings.accounts = ["hannah@northwind.example"]
                try await settings.save(sql, clientID: setup.seed.clientID, now: setup.clock.nowMillis)
            }
            let ids = try await Self.approve(setup, count: 12)
            let outcome = try await Self.exporter(setup).run(clientID: setup.seed.clientID)
            #expect(outcome.status == "finished" && outcome.claimed == 12 && outcome.sent == 12 && outcome.failed == 0, "\(outcome)")
            let campaigns = fake.allCampaigns
            #expect(campaigns.count == 1)
            let campaign = try #require(campaigns.first)
            let day = LocalDay.of(millis: setup.clock.nowMillis, timeZone: "Europe/London")
            #expect(campaign.name == "Northwind Ledger - Northwind intro EN - \(day)")
            #expect(campaign.steps.map(\.delay) == [0, 3, 7], "first email, then the template's follow-ups on days 3 and 10")
            #expect(campaign.steps.first == .init(delay: 0, subject: "{{subject_line}}", body: "{{email_body}}"))
            #expect(campaign.steps.dropFirst().allSatisfy { $0.subject.isEmpty && !$0.body.isEmpty }, "follow-ups stay in the thread")
            #expect(campaign.stopOnReply && campaign.status == 0, "created as a draft: activation is off by default")
            #expect(
                campaign.timezone == (setup.vendor == .instantly ? "Europe/Isle_of_Man" : "Europe/London") && campaign.days == [1, 2, 3, 4, 5]
                    && campaign.accounts == ["hannah@northwind.example"], "\(campaign)")
            let addresses = try await Self.addresses(setup.database, ids)
            #expect(fake.receivedCounts == Dictionary(uniqueKeysWithValues: addresses.map { ($0, 1) }))
            #expect(try await ExportFixtures.statuses(setup.database, ids) == Array(repeating: "sent", count: 12))
            let row = try await setup.database.read { sql in
                try await sql.raw(
                    "SELECT export_campaign_id, export_campaign_name, sequencer_lead_id, sent_at, final_body FROM generated_emails WHERE id = \(bind: ids[3])"
                ).first()
            }
            #expect(try row?.decode(column: "export_campaign_id", as: String.self) == campaign.id)
            let edited = try #require(try await Self.addresses(setup.database, [ids[3]]).first)
            #expect(try row?.decode(column: "sequencer_lead_id", as: String?.self) == campaign.leads[edited])
            #expect(try row?.decode(column: "export_campaign_name", as: String?.self) == campaign.name)
            #expect(try row?.decode(column: "sent_at", as: Int?.self) == setup.clock.nowMillis)
            let sentCard = try #require(
                try await ReviewQueue(database: setup.database).page(QueueFilter(status: .init(parameter: "sent")!), limit: 20).emails.first {
                    $0.id == ids[3]
                })
            #expect(
                sentCard.export.sentLine?.contains("to \(campaign.name) (campaign \(campaign.id)), lead \(campaign.leads[edited] ?? "?")") == true,
                "\(sentCard.export)")
            #expect(fake.variables[edited]?["email_body"] == "Edited for \(ids[3]).", "the lead carries the reviewer's edit")
            #expect(
                fake.variables[edited]?["first_name"]?.isEmpty == false
                    && fake.variables[edited]?["subject_line"]?.hasPrefix("Supplier invoices at") == true)

            // Nothing left: the next run claims nothing and the fake hears no lead again.
            let again = try await Self.exporter(setup).run(clientID: setup.seed.clientID)
            #expect(again.claimed == 0 && again.sent == 0 && fake.receivedCounts.values.allSatisfy { $0 == 1 })
            // A sent email cannot be undone.
            await #expect(throws: ReviewConflict.self) {
                try await ReviewDecider(database: setup.database).undo(emailID: ids[0], by: ExportFixtures.sam)
            }
        }
    }

    @Test(
        "a run stopped after any step resumes: every approved email sent exactly once by the fake's count, and a campaign to start is started",
        arguments: DatabaseDialect.allCases, CrashCase.allCases)
    func crashAtEveryStep(_ dialect: DatabaseDialect, _ crashCase: CrashCase) async throws {
        let (vendor, activate) = (crashCase.vendor, crashCase.activates)
        try await Self.with(dialect, vendor, contacts: 260) { setup, fake in
            if activate {
                try await setup.database.write { sql in
                    var settings = try await ExportSettings.load(sql, clientID: setup.seed.clientID)
                    settings.activate = true
                    try await settings.save(sql, clientID: setup.seed.clientID, now: setup.clock.nowMillis)
                }
            }
            // A clean run names the steps: every one of them is a place a crash can stop a run.
            let log = StepLog()
            _ = try await Self.approve(setup, count: 12)
            let clean = try await Self.exporter(setup, afterStep: { log.append($0) }).run(clientID: setup.seed.clientID)
            #expect(clean.status == "finished" && clean.sent == 12, "\(clean)")
            let steps = log.steps
            #expect(
                steps.first == .claimed && steps.contains(.batchRecorded) && steps.contains(.activated) == activate
                    && steps.contains(.activationCalled) == activate, "\(steps)")
            for (index, step) in steps.enumerated() {
                let stopAt = index + 1
                setup.clock.advance(by: .seconds(86_400))
                let ids = try await Self.approve(setup, count: 12)
                // The campaign is named after the day the stopped run started: waiting out a lease
                // below can cross midnight (a run a few minutes before it, as CI may be).
                let day = LocalDay.of(millis: setup.clock.nowMillis, timeZone: "Europe/London")
                let calls = Counter()
                let crashing = Self.exporter(
                    setup,
                    afterStep: { _ in
                        if calls.next() == stopAt { throw Crash() }
                    })
                await #expect(throws: Crash.self) { try await crashing.run(clientID: setup.seed.clientID) }
                if stopAt % 3 == 0 {
                    // Killed without releasing its lease: the next run waits for the lease to run out.
                    try await setup.database.write { sql in
                        try await sql.raw(
                            """
                            UPDATE clients SET export_lease_owner = 'gone-host:1:dead', export_lease_expires_at = \(bind: setup.clock.nowMillis + 300_000),
                            export_lease_process = NULL
                            """
                        ).run()
                    }
                    await #expect(throws: ExportBusy.self, "stopped after \(step)") {
                        try await Self.exporter(setup).run(clientID: setup.seed.clientID)
                    }
                    setup.clock.advance(by: .seconds(301))
                }
                let resumed = try await Self.exporter(setup).run(clientID: setup.seed.clientID)
                #expect(resumed.status == "finished" && resumed.resumed && resumed.sent == 12, "stopped after step \(stopAt) (\(step)): \(resumed)")
                #expect(
                    try await ExportFixtures.statuses(setup.database, ids) == Array(repeating: "sent", count: 12),
                    "stopped after step \(stopAt) (\(step))")
                let counts = fake.receivedCounts
                for address in try await Self.addresses(setup.database, ids) {
                    #expect(counts[address] == 1, "stopped after step \(stopAt) (\(step)): \(address) sent \(counts[address] ?? 0) times")
                }
                let campaigns = fake.allCampaigns.filter { $0.name.hasSuffix(day) }
                #expect(campaigns.count == 1, "stopped after step \(stopAt) (\(step)): one campaign of \(day): \(fake.allCampaigns.map(\.name))")
                #expect(
                    campaigns.allSatisfy { $0.status == (activate ? 1 : 0) },
                    "stopped after step \(stopAt) (\(step)): started only when the settings say so")
                let waiting = try await ExportHistory(database: setup.database).waitingCampaigns(clientID: setup.seed.clientID)
                #expect(waiting.isEmpty, "stopped after step \(stopAt) (\(step)): nothing left to start: \(waiting)")
            }
        }
    }

    @Test(
        "a refused key, a 429 storm and a failing sequencer leave the emails approved with the error, and a later run sends them once",
        arguments: DatabaseDialect.allCases, FakeSequencer.Vendor.allCases)
    func failures(_ dialect: DatabaseDialect, _ vendor: FakeSequencer.Vendor) async throws {
        try await Self.with(dialect, vendor) { setup, fake in
            let ids = try await Self.approve(setup, count: 12)
            let key = fake.key
            fake.set { $0.key = "another-key" }
            let refused = try await Self.exporter(setup).run(clientID: setup.seed.clientID)
            #expect(refused.status == "failed" && refused.error?.contains("refused the API key (401)") == true, "\(refused)")
            #expect(try await ExportFixtures.statuses(setup.database, ids) == ids.indices.map { $0 % 4 == 3 ? "approved_edited" : "approved" })
            let errors = try await setup.database.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM generated_emails WHERE export_error LIKE '%refused the API key%'").first()?.decode(
                    column: "n", as: Int.self)
            }
            #expect(errors == 12, "the reason is stored on every email")
            let card = try #require(
                try await ReviewQueue(database: setup.database).page(QueueFilter(status: .init(parameter: "approved")!), limit: 1).emails.first)
            #expect(card.export.error?.contains("refused the API key") == true && card.export.sentLine == nil)

            fake.set {
                $0.key = key; $0.rateLimited = 1_000
            }
            let storm = try await Self.exporter(setup, retries: 3).run(clientID: setup.seed.clientID)
            #expect(storm.status == "failed" && storm.error?.contains("not answering") == true && storm.error?.contains("429") == true, "\(storm)")
            #expect(fake.receivedCounts.isEmpty)

            fake.set {
                $0.rateLimited = 2; $0.failAfterLeads = 5
            }
            let dying = try await Self.exporter(setup).run(clientID: setup.seed.clientID)
            #expect(
                dying.status == "failed" && dying.sent == 5 && dying.error?.contains("500") == true,
                "retried past two 429s, then the sequencer failed after 5 leads: \(dying)")

            fake.set { $0.failAfterLeads = nil }
            let recovered = try await Self.exporter(setup).run(clientID: setup.seed.clientID)
            #expect(
                recovered.status == "finished" && recovered.resumed && recovered.sent == 12,
                "the run it resumed counts the 5 it sent before, then 5 more, and a new run the last 2: \(recovered)")
            #expect(try await ExportFixtures.statuses(setup.database, ids) == Array(repeating: "sent", count: 12))
            #expect(fake.receivedCounts.values.sorted() == Array(repeating: 1, count: 12), "\(fake.receivedCounts)")
            let cleared = try await setup.database.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM generated_emails WHERE export_error IS NOT NULL").first()?.decode(
                    column: "n", as: Int.self)
            }
            #expect(cleared == 0, "a sent email carries no error")
        }
    }

    @Test(
        "the kill switch stops new runs; two exporters never work on one client at once",
        arguments: DatabaseDialect.allCases, FakeSequencer.Vendor.allCases)
    func killSwitchAndLease(_ dialect: DatabaseDialect, _ vendor: FakeSequencer.Vendor) async throws {
        try await Self.with(dialect, vendor) { setup, fake in
            let ids = try await Self.approve(setup, count: 10)
            let rollout = RolloutRepository(database: setup.database)
            try await rollout.setPaused(true, clientID: setup.seed.clientID, by: ExportFixtures.sam, reason: nil)
            let paused = try await Self.exporter(setup).run(clientID: setup.seed.clientID)
            #expect(paused.status == "paused" && paused.runID == nil && fake.receivedCounts.isEmpty)
            try await rollout.setPaused(false, clientID: setup.seed.clientID, by: ExportFixtures.sam, reason: nil)

            // Paused while a run is under way: it stops before its next batch; the rest stays approved.
            let pausing = Self.exporter(
                setup,
                afterStep: { step in
                    if step == .batchRecorded {
                        try await rollout.setPaused(true, clientID: setup.seed.clientID, by: ExportFixtures.sam, reason: "complaint")
                    }
                })
            let stopped = try await pausing.run(clientID: setup.seed.clientID)
            #expect(stopped.status == "stopped" && stopped.sent == 5 && stopped.error == "stopped by the kill switch", "\(stopped)")
            #expect(try await ExportFixtures.statuses(setup.database, ids).filter { $0 == "sent" }.count == 5)
            try await rollout.setPaused(false, clientID: setup.seed.clientID, by: ExportFixtures.sam, reason: nil)

            // One exporter stops holding the lease (its process died on another machine): another is refused until the lease runs out.
            let first = Self.exporter(setup, owner: "host-a:1", afterStep: { step in if step == .batchMarked { throw Crash() } })
            await #expect(throws: Crash.self) { try await first.run(clientID: setup.seed.clientID) }
            try await Self.holdLease(setup, owner: "host-a:1:dead", process: nil)
            await #expect(throws: ExportBusy.self) { try await Self.exporter(setup, owner: "host-b:2").run(clientID: setup.seed.clientID) }
            setup.clock.advance(by: .seconds(301))
            let second = try await Self.exporter(setup, owner: "host-b:2").run(clientID: setup.seed.clientID)
            #expect(second.status == "finished" && second.sent == 5, "the 5 the stopped run left: \(second)")
            #expect(fake.receivedCounts.values.sorted() == Array(repeating: 1, count: 10))

            // A holder that was a process of this boot and PID namespace and is gone (killed) is taken over at once.
            let me = try #require(ProcessIdentity.current)
            var dead = me
            dead.pid = 2_147_483_646
            try await Self.holdLease(setup, owner: "here:2147483646:dead", process: dead.recorded)
            #expect(try await Self.exporter(setup, owner: "host-c:5").run(clientID: setup.seed.clientID).status == "finished")
            // A process id now used by another process (this one) that started at another time: the holder is gone too.
            var reused = me
            reused.startTicks += 1
            try await Self.holdLease(setup, owner: "here:reused:dead", process: reused.recorded)
            #expect(try await Self.exporter(setup, owner: "host-c:5").run(clientID: setup.seed.clientID).status == "finished")
            // A live process keeps its lease; so does a dead pid recorded under another boot or PID namespace (another
            // container sharing the host name): nothing says for sure that it is gone, so the lease runs out first.
            var otherBoot = dead
            otherBoot.bootID = "00000000-0000-0000-0000-000000000000"
            var otherNamespace = dead
            otherNamespace.pidNamespace = "pid:[1]"
            for (holder, why) in [(me, "a live process"), (otherBoot, "another boot"), (otherNamespace, "another PID namespace")] {
                try await Self.holdLease(setup, owner: "there:\(holder.pid):x", process: holder.recorded)
                await #expect(throws: ExportBusy.self, "\(why) keeps its lease") {
                    try await Self.exporter(setup, owner: "host-c:5").run(clientID: setup.seed.clientID)
                }
            }
            try await setup.database.write { sql in
                try await sql.raw("UPDATE clients SET export_lease_owner = NULL, export_lease_expires_at = NULL").run()
            }

            // Two exporters at once on more approved emails: each email goes once.
            let more = try await Self.approve(setup, count: 20)
            async let a = Self.outcomeOrBusy { try await Self.exporter(setup, owner: "host-a:3").run(clientID: setup.seed.clientID) }
            async let b = Self.outcomeOrBusy { try await Self.exporter(setup, owner: "host-b:4").run(clientID: setup.seed.clientID) }
            let results = try await [a, b]
            #expect(
                results.compactMap { $0 }.map(\.sent).reduce(0, +) == 20, "the loser was refused as busy, or came after and found nothing: \(results)"
            )
            #expect(try await ExportFixtures.statuses(setup.database, more) == Array(repeating: "sent", count: 20))
            #expect(fake.receivedCounts.values.sorted() == Array(repeating: 1, count: 30))
            _ = ids
        }
    }

    @Test(
        "a sequencer that takes a lead batch and never answers, or fails while creating the campaign: the emails stay approved with the error, and the next run finishes without a lead twice",
        arguments: DatabaseDialect.allCases, FakeSequencer.Vendor.allCases)
    func hangs(_ dialect: DatabaseDialect, _ vendor: FakeSequencer.Vendor) async throws {
        try await Self.with(dialect, vendor) { setup, fake in
            let ids = try await Self.approve(setup, count: 8)
            let reason: String
            if vendor == .instantly {
                // The campaign is created while answers come (30 s each); then the first lead batch is taken but
                // its answer never comes. Only that call meets the short timeout: no answer that comes is raced.
                let stopping = Self.exporter(setup, afterStep: { step in if step == .campaignSaved { throw Crash() } })
                await #expect(throws: Crash.self) { try await stopping.run(clientID: setup.seed.clientID) }
                fake.set { $0.hangOn = "/leads/add" }
                reason = "did not answer within"
            } else {
                // Smartlead: the campaign is created, but the call that sets its sequence fails.
                fake.set { $0.failOn = "/sequences" }
                reason = "500"
            }
            let stuck = try await Self.exporter(setup, timeout: vendor == .instantly ? .seconds(1) : .seconds(30)).run(clientID: setup.seed.clientID)
            #expect(stuck.status == "failed" && stuck.error?.contains(reason) == true, "\(stuck)")
            #expect(try await ExportFixtures.statuses(setup.database, ids).allSatisfy { $0.hasPrefix("approved") })
            let card = try #require(
                try await ReviewQueue(database: setup.database).page(QueueFilter(status: .init(parameter: "approved")!), limit: 1).emails.first)
            #expect(card.export.error?.contains(reason) == true, "the card says why: \(card.export)")

            // A request given up on before it arrived would leave the hang armed: the resumed run meets a sequencer that answers.
            fake.set { $0.hangOn = nil }
            let resumed = try await Self.exporter(setup).run(clientID: setup.seed.clientID)
            // Instantly's run is resumed (its batch was unanswered); Smartlead's failed before any lead, so a new run
            // claims the emails again and finds the campaign the first one created.
            #expect(resumed.status == "finished" && resumed.resumed == (vendor == .instantly) && resumed.sent == 8, "\(resumed)")
            #expect(try await ExportFixtures.statuses(setup.database, ids) == Array(repeating: "sent", count: 8))
            #expect(fake.receivedCounts.values.sorted() == Array(repeating: 1, count: 8), "\(fake.receivedCounts)")
            let campaigns = fake.allCampaigns
            #expect(campaigns.count == 1 && campaigns.first?.steps.count == 3, "one campaign, completed with its sequence on the second run")
        }
    }

    @Test("one campaign per template, each lead in its own template's campaign", arguments: DatabaseDialect.allCases, FakeSequencer.Vendor.allCases)
    func campaignPerTemplate(_ dialect: DatabaseDialect, _ vendor: FakeSequencer.Vendor) async throws {
        try await Self.with(dialect, vendor, contacts: 6) { setup, fake in
            var second = try TemplateFile.parse(try String(contentsOfFile: TestDatabase.paths.demoData + "/template.md", encoding: .utf8))
            second.name = "Northwind second EN"
            let secondID = try await TemplateRepository(database: setup.database).save(second, clientID: setup.seed.clientID)
            let text = Seed.csv(4, domain: "second").replacingOccurrences(of: "person", with: "second")
            let report = try await ContactImporter(database: setup.database).importCSV(
                .bytes(Array(text.utf8)), fileName: "second.csv", clientID: setup.seed.clientID, templateID: secondID)
            _ = try await DraftGenerator(database: setup.database).generate(batchID: report.batchID)
            let ids = try await Self.approve(setup, count: 10)
            let outcome = try await Self.exporter(setup, batchLimit: 3).run(clientID: setup.seed.clientID)
            #expect(outcome.status == "finished" && outcome.sent == 10, "\(outcome)")
            let campaigns = fake.allCampaigns.sorted { $0.name < $1.name }
            let day = LocalDay.of(millis: setup.clock.nowMillis, timeZone: "Europe/London")
            #expect(campaigns.map(\.name) == ["Northwind Ledger - Northwind intro EN - \(day)", "Northwind Ledger - Northwind second EN - \(day)"])
            #expect(
                campaigns.map { $0.leads.count } == [6, 4] && campaigns[1].leads.keys.allSatisfy { $0.hasPrefix("second") },
                "\(campaigns.map(\.leads))")
            #expect(try await ExportFixtures.statuses(setup.database, ids) == Array(repeating: "sent", count: 10))
            #expect(fake.receivedCounts.values.sorted() == Array(repeating: 1, count: 10))
        }
    }

    @Test(
        "a zone no name Instantly takes keeps the clock of is said in words with the nearest names, nothing is sent, and the emails stay approved",
        arguments: DatabaseDialect.allCases)
    func refusedTimezone(_ dialect: DatabaseDialect) async throws {
        try await Self.with(dialect) { setup, fake in
            try await setup.database.write { sql in
                var settings = try await ExportSettings.load(sql, clientID: setup.seed.clientID)
                settings.timezone = "America/Los_Angeles"
                try await settings.save(sql, clientID: setup.seed.clientID, now: setup.clock.nowMillis)
            }
            let ids = try await Self.approve(setup, count: 3)
            let outcome = try await Self.exporter(setup).run(clientID: setup.seed.clientID)
            #expect(
                outcome.status == "failed"
                    && outcome.error?.contains("Instantly takes no time zone that keeps the clock of America/Los_Angeles") == true
                    && outcome.error?.contains("the nearest it takes: America/") == true, "\(outcome)")
            #expect(try await ExportFixtures.statuses(setup.database, ids).allSatisfy { $0.hasPrefix("approved") } && fake.allCampaigns.isEmpty)
        }
    }

    @Test("resume only finishes the run left open and claims nothing new", arguments: DatabaseDialect.allCases)
    func resumeOnly(_ dialect: DatabaseDialect) async throws {
        try await Self.with(dialect) { setup, fake in
            let first = try await Self.approve(setup, count: 7)
            let stopped = Self.exporter(setup, afterStep: { step in if step == .batchRecorded { throw Crash() } })
            await #expect(throws: Crash.self) { try await stopped.run(clientID: setup.seed.clientID) }
            let later = try await Self.approve(setup, count: 3)
            let resumed = try await Self.exporter(setup).run(clientID: setup.seed.clientID, resumeOnly: true)
            #expect(resumed.resumed && resumed.status == "finished" && resumed.sent == 7, "\(resumed)")
            #expect(try await ExportFixtures.statuses(setup.database, first) == Array(repeating: "sent", count: 7))
            #expect(
                try await ExportFixtures.statuses(setup.database, later).allSatisfy { $0.hasPrefix("approved") },
                "approved after the open run: left for the next run")
            let nothing = try await Self.exporter(setup).run(clientID: setup.seed.clientID, resumeOnly: true)
            #expect(nothing.runID == nil && nothing.claimed == 0 && fake.receivedCounts.count == 7)
        }
    }

    @Test("an email whose lead is being sent cannot be undone", arguments: DatabaseDialect.allCases)
    func undoWhileSending(_ dialect: DatabaseDialect) async throws {
        try await Self.with(dialect) { setup, _ in
            let ids = try await Self.approve(setup, count: 3)
            let stopped = Self.exporter(setup, afterStep: { step in if step == .batchMarked { throw Crash() } })
            await #expect(throws: Crash.self) { try await stopped.run(clientID: setup.seed.clientID) }
            let error = await #expect(throws: ReviewConflict.self) {
                try await ReviewDecider(database: setup.database).undo(emailID: ids[0], by: ExportFixtures.sam)
            }
            #expect("\(String(describing: error))".contains("being sent"))
        }
    }

    @Test(
        "a run that did something posts one Slack message to the client's webhook; a failed delivery never fails the run",
        arguments: DatabaseDialect.allCases)
    func slack(_ dialect: DatabaseDialect) async throws {
        try await FakeSlack.run([.ok, .serverError]) { slack, webhookBase in
            try await Self.with(dialect) { setup, fake in
                try await setup.secrets.set(
                    clientID: setup.seed.clientID, sequencerKind: nil, sequencerKey: nil, slackWebhook: webhookBase + "/services/T0/B0/secret")
                var logger = Logger(label: "slack-test")
                logger.logLevel = .critical
                let notifier = SlackNotifier(policy: RetryPolicy(timeout: .seconds(30), maxRetries: 0), logger: logger, sleep: { _ in })
                _ = try await Self.approve(setup, count: 7)
                let outcome = try await Self.exporter(setup, notifier: notifier).run(clientID: setup.seed.clientID)
                #expect(outcome.sent == 7)
                #expect(slack.requests.count == 1)
                let text = slack.requests.first?.body ?? ""
                #expect(
                    text.contains("Greenlight export of Northwind Ledger: finished") && text.contains("7 sent, 0 failed of 7")
                        && text.contains(fake.allCampaigns.first?.id ?? "?"), "\(text)")
                #expect(try await Self.exporter(setup, notifier: notifier).run(clientID: setup.seed.clientID).claimed == 0)
                #expect(slack.requests.count == 1, "a run with nothing to send says nothing")

                _ = try await Self.approve(setup, count: 2)
                fake.set { $0.key = "revoked" }
                let failed = try await Self.exporter(setup, notifier: notifier).run(clientID: setup.seed.clientID)
                #expect(failed.status == "failed", "Slack answering 500 does not change the run's outcome")
                #expect(slack.requests.count == 2 && slack.requests.last?.body.contains("refused the API key") == true)
            }
        }
    }

    @Test("a CSV awaiting its upload is neither resumed nor claimed by the sequencer export", arguments: DatabaseDialect.allCases)
    func csvLeftAlone(_ dialect: DatabaseDialect) async throws {
        try await Self.with(dialect) { setup, fake in
            _ = try await Self.approve(setup, count: 4)
            let prepared = try #require(
                try await CSVExport(database: setup.database, clock: setup.clock.source).prepare(clientID: setup.seed.clientID))
            let outcome = try await Self.exporter(setup).run(clientID: setup.seed.clientID)
            #expect(!outcome.resumed && outcome.claimed == 0 && fake.receivedCounts.isEmpty, "\(outcome)")
            let status = try await setup.database.read { sql in
                try await sql.raw("SELECT status FROM export_runs WHERE id = \(bind: prepared.runID)").first()?.decode(
                    column: "status", as: String.self)
            }
            #expect(status == "awaiting_upload")
        }
    }

    @Test("the sequencers' weekday numbers: 0 is Sunday for both")
    func weekdays() {
        #expect((0...6).map(InstantlyClient.dayKey) == ["0", "1", "2", "3", "4", "5", "6"])
        #expect((0...6).map(SmartleadClient.dayNumber) == [0, 1, 2, 3, 4, 5, 6])
    }
}

/// Counts calls across tasks.
/// A vendor, with "start each campaign at once" off or on.
enum CrashCase: String, CaseIterable, Sendable, CustomStringConvertible {
    case instantly, smartlead, instantlyStarting, smartleadStarting
    var vendor: FakeSequencer.Vendor { self == .instantly || self == .instantlyStarting ? .instantly : .smartlead }
    var activates: Bool { self == .instantlyStarting || self == .smartleadStarting }
    var description: String { rawValue }
}

/// The steps a run's hook saw, in order.
final class StepLog: Sendable {
    private let value = Mutex<[ExportStep]>([])
    func append(_ step: ExportStep) { value.withLock { $0.append(step) } }
    var steps: [ExportStep] { value.withLock { $0 } }
}
