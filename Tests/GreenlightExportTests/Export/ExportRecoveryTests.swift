import Foundation
import HTTPTypes
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Logging
import SQLKit
import Testing
import GreenlightTestSupport

/// A run that cannot finish never blocks the client (issue 27, item 5): a permanent refusal settles
/// the leads whose call went unanswered by asking the sequencer what it holds, the run ends `failed`
/// and the next run claims new approvals; a manager can abandon a run (audited), which settles the
/// same way; the schedule retries a failed run after 1, 5, 15 and 60 minutes, then at the next export
/// hour, and Slack hears once when it fails and once when it recovers.
@Suite("Export: a run that cannot finish never blocks the client", .timeLimit(.minutes(15)))
struct ExportRecoveryTests {
    /// Runs an export that stops, as a crash would, once the sequencer took the first batch: those
    /// leads are `sending` (the fake holds them), the rest of the run's emails `claimed`.
    static func crashAfterFirstBatch(_ setup: ExportTests.Setup) async throws -> Int {
        await #expect(throws: ExportTests.Crash.self) {
            try await ExportTests.exporter(setup, afterStep: { step in if step == .batchAdded { throw ExportTests.Crash() } }).run(
                clientID: setup.seed.clientID)
        }
        return try #require(try await ExportHistory(database: setup.database).unfinishedRun(clientID: setup.seed.clientID))
    }

    /// The emails' statuses, any approval (edited or not) said `approved`.
    static func decided(_ database: Database, _ ids: [Int]) async throws -> [String] {
        try await ExportFixtures.statuses(database, ids).map { $0.hasPrefix("approved") ? "approved" : $0 }
    }

    static func itemStatuses(_ database: Database, runID: Int) async throws -> [String: Int] {
        try await database.read { sql in
            try await sql.raw("SELECT status, COUNT(*) AS n FROM export_items WHERE run_id = \(bind: runID) GROUP BY status").all().reduce(
                into: [String: Int]()
            ) {
                $0[try $1.decode(column: "status", as: String.self)] = try $1.decode(column: "n", as: Int.self)
            }
        }
    }

    @Test(
        "a batch left sending whose campaign was then deleted in the sequencer: the next run fails once and settles it; the one after exports every approval",
        arguments: DatabaseDialect.allCases, FakeSequencer.Vendor.allCases)
    func deletedCampaign(_ dialect: DatabaseDialect, _ vendor: FakeSequencer.Vendor) async throws {
        try await ExportTests.with(dialect, vendor) { setup, fake in
            let first = try await ExportTests.approve(setup, count: 12)
            let stranded = try await Self.crashAfterFirstBatch(setup)
            #expect(try await Self.itemStatuses(setup.database, runID: stranded) == ["sending": 5, "claimed": 7])
            fake.set { $0.campaigns.removeAll() }
            let later = try await ExportTests.approve(setup, count: 4)

            let failed = try await ExportTests.exporter(setup).run(clientID: setup.seed.clientID)
            #expect(failed.status == "failed" && failed.runID == stranded && failed.resumed && failed.error?.contains("404") == true, "\(failed)")
            #expect(
                try await ExportHistory(database: setup.database).unfinishedRun(clientID: setup.seed.clientID) == nil,
                "settled: nothing of it is left open")
            #expect(try await Self.decided(setup.database, first) == Array(repeating: "approved", count: 12), "not in the sequencer: approved again")
            let notes = try await setup.database.read { sql in
                try await sql.raw("SELECT export_error FROM generated_emails WHERE id = \(bind: first[0])").first()?.decode(
                    column: "export_error", as: String?.self)
            }
            #expect(notes?.contains("approved again for the next run") == true, "the card says why: \(notes ?? "nil")")

            let next = try await ExportTests.exporter(setup).run(clientID: setup.seed.clientID)
            #expect(
                next.status == "finished" && !next.resumed && next.claimed == 16 && next.sent == 16, "new approvals and the settled ones go: \(next)")
            #expect(try await ExportFixtures.statuses(setup.database, first + later) == Array(repeating: "sent", count: 16))
            let campaign = try #require(fake.allCampaigns.first)
            #expect(fake.allCampaigns.count == 1 && campaign.leads.count == 16, "one new campaign holds every lead once")
        }
    }

    @Test(
        "a campaign the sequencer refuses to start for good (404): the run fails naming it, and no later run is blocked by it",
        arguments: DatabaseDialect.allCases, FakeSequencer.Vendor.allCases)
    func startRefusedForGood(_ dialect: DatabaseDialect, _ vendor: FakeSequencer.Vendor) async throws {
        try await ExportTests.with(dialect, vendor) { setup, fake in
            try await ExportActivationTests.activating(setup)
            _ = try await ExportTests.approve(setup, count: 3)
            let outcome = try await ExportTests.exporter(
                setup,
                afterStep: { step in
                    if step == .batchRecorded { fake.set { $0.campaigns.removeAll() } }
                }
            ).run(clientID: setup.seed.clientID)
            #expect(outcome.status == "failed" && outcome.sent == 3 && outcome.error?.contains("start it in the sequencer") == true, "\(outcome)")
            let history = ExportHistory(database: setup.database)
            #expect(try await history.unfinishedRun(clientID: setup.seed.clientID) == nil)
            #expect(
                try await history.waitingCampaigns(clientID: setup.seed.clientID).isEmpty, "no run retries a start the sequencer refuses for good")
            let ids = try await ExportTests.approve(setup, count: 2)
            let next = try await ExportTests.exporter(setup).run(clientID: setup.seed.clientID)
            #expect(next.status == "finished" && !next.resumed && next.claimed == 2, "\(next)")
            #expect(try await ExportFixtures.statuses(setup.database, ids) == ["sent", "sent"])
            #expect(fake.allCampaigns.map(\.status) == [1], "the new campaign is started")
        }
    }

    @Test(
        "a manager abandons a run: refused while a task holds the client or while the sequencer cannot say what it holds; then held leads are sent, the rest approved again, audited",
        arguments: DatabaseDialect.allCases, FakeSequencer.Vendor.allCases)
    func abandon(_ dialect: DatabaseDialect, _ vendor: FakeSequencer.Vendor) async throws {
        try await ExportTests.with(dialect, vendor) { setup, fake in
            let ids = try await ExportTests.approve(setup, count: 12)
            let stranded = try await Self.crashAfterFirstBatch(setup)
            let exporter = ExportTests.exporter(setup)

            try await ExportTests.holdLease(setup, owner: "other-host:1:abcd", process: nil)
            await #expect(throws: ExportBusy.self) { try await exporter.abandon(runID: stranded, clientIDs: nil, by: "Boss", userID: nil) }
            try await setup.database.write { sql in try await sql.raw("UPDATE clients SET export_lease_owner = NULL").run() }

            fake.set { $0.key = "rotated" }
            let unsaid = await #expect(throws: InputError.self) {
                try await exporter.abandon(runID: stranded, clientIDs: nil, by: "Boss", userID: nil)
            }
            #expect(
                unsaid?.message.contains("could not say") == true && unsaid?.message.contains("nothing changed") == true,
                "\(String(describing: unsaid))")
            #expect(try await Self.itemStatuses(setup.database, runID: stranded) == ["sending": 5, "claimed": 7], "nothing changed")
            fake.set { $0.key = "\(vendor)-test-key" }

            await #expect(throws: NotFound.self) {
                try await exporter.abandon(runID: stranded, clientIDs: [setup.seed.clientID + 1], by: "Boss", userID: nil)
            }
            let abandoned = try await exporter.abandon(runID: stranded, clientIDs: [setup.seed.clientID], by: "Boss", userID: nil)
            #expect(abandoned.held == 5 && abandoned.returned == 7, "\(abandoned)")
            #expect(
                abandoned.sentence.contains(
                    "Run \(stranded) of Northwind Ledger abandoned: 5 leads the sequencer holds marked sent, 7 emails approved again"))
            #expect(
                try await Self.decided(setup.database, ids.sorted()) == Array(repeating: "sent", count: 5) + Array(repeating: "approved", count: 7),
                "batches go in id order")
            let run = try #require(try await ExportHistory(database: setup.database).run(id: stranded, clientIDs: nil))
            #expect(run.status == .abandoned && run.error == "abandoned by Boss" && run.sent == 5, "\(run)")
            let audit = try await AuditLog(database: setup.database).recent().filter { $0.action == "export run abandoned" }
            #expect(audit.count == 1 && audit[0].target == "Northwind Ledger" && audit[0].details == "run \(stranded)")
            let again = await #expect(throws: InputError.self) {
                try await exporter.abandon(runID: stranded, clientIDs: nil, by: "Boss", userID: nil)
            }
            #expect(again?.message == "run \(stranded) of Northwind Ledger is abandoned, not unfinished: nothing to abandon")

            let next = try await exporter.run(clientID: setup.seed.clientID)
            #expect(next.status == "finished" && next.claimed == 7 && next.sent == 7 && !next.resumed, "\(next)")
            #expect(fake.receivedCounts.count == 12 && fake.receivedCounts.values.allSatisfy { $0 == 1 }, "each lead once: \(fake.receivedCounts)")
        }
    }

    @Test(
        "the export page offers to abandon the unfinished run, and its button does it, audited under the manager's name",
        arguments: DatabaseDialect.allCases)
    func abandonFromThePage(_ dialect: DatabaseDialect) async throws {
        try await ExportStartTests.withExportApp(dialect, .instantly, latency: .zero) { database, seed, fake, boss, _, _ in
            var boss = boss
            let ids = try await ReviewQueue(database: database).page(QueueFilter(status: .init(parameter: "approved")!), limit: 3).emails.map(\.id)
            let run = try await ExportFixtures.strand(database, clientID: seed.clientID, emailIDs: ids, campaignID: "cmp-deleted")
            let page = try await boss.request("/clients/\(seed.clientID)/export")
            #expect(
                page.text.contains("action=\"/exports/\(run)/abandon\"") && page.text.contains("Abandon run \(run)"), "the unfinished run offers it")
            let done = try await boss.post("/exports/\(run)/abandon")
            #expect(done.status == .seeOther)
            let after = try await boss.request("/clients/\(seed.clientID)/export")
            #expect(
                after.text.contains(
                    "Run \(run) of Northwind Ledger abandoned: 0 leads the sequencer holds marked sent, 3 emails approved again for the next run."),
                "the notice says what it settled")
            #expect(!after.text.contains("action=\"/exports/\(run)/abandon\""), "nothing left to abandon")
            let audit = try await AuditLog(database: database).recent().filter { $0.action == "export run abandoned" }
            #expect(audit.map(\.actor) == ["Boss"])
            #expect(try await ExportFixtures.statuses(database, ids) == ["approved", "approved", "approved"])
            #expect(fake.receivedCounts.isEmpty)
        }
    }

    @Test("the waits before the schedule tries a failed run again: 1, 5, 15, 60 minutes, then the next export hour in the client's zone")
    func retryWaits() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "America/New_York"))
        let failedAt = Clock.millis(from: try #require(calendar.date(from: DateComponents(year: 2027, month: 3, day: 13, hour: 15, minute: 20))))
        let waits = (1...4).map { ExportRetry.next(failures: $0, failedAt: failedAt, timeZone: "America/New_York", exportHour: 14) - failedAt }
        #expect(waits == [60_000, 300_000, 900_000, 3_600_000])
        // After the fifth: 14:00 the next day, across the spring change (22 h 40 on the wall clock, 21 h 40 elapsed).
        let hour = ExportRetry.next(failures: 5, failedAt: failedAt, timeZone: "America/New_York", exportHour: 14)
        let expected = Clock.millis(from: try #require(calendar.date(from: DateComponents(year: 2027, month: 3, day: 14, hour: 14))))
        #expect(hour == expected && hour - failedAt == (21 * 60 + 40) * 60_000)
    }

    @Test(
        "the schedule backs off a run that keeps failing (no call before its time), and Slack hears once when it fails and once when it recovers",
        arguments: DatabaseDialect.allCases)
    func backoffAndSlack(_ dialect: DatabaseDialect) async throws {
        try await FakeSlack.run([.ok]) { slack, webhookBase in
            try await ExportTests.with(dialect) { setup, fake in
                try await ExportScheduleTests.setNewYork(setup)
                try await ExportActivationTests.activating(setup)
                try await setup.secrets.set(
                    clientID: setup.seed.clientID, sequencerKind: nil, sequencerKey: nil, slackWebhook: webhookBase + "/services/T0/B0/secret")
                var logger = Logger(label: "backoff-test")
                logger.logLevel = .critical
                let notifier = SlackNotifier(policy: RetryPolicy(timeout: .seconds(30), maxRetries: 0), logger: logger, sleep: { _ in })
                let scheduler = ExportScheduler(
                    database: setup.database, exporter: ExportTests.exporter(setup, notifier: notifier),
                    clock: setup.clock.source, logger: logger)
                let clock = setup.clock
                clock.advance(by: .milliseconds(ExportScheduleTests.beforeHour - clock.nowMillis))
                _ = try await ExportTests.approve(setup, count: 4)
                fake.set { $0.failActivations = 1_000 }
                clock.advance(by: .seconds(35 * 60))
                let first = await scheduler.tick()
                #expect(first[setup.seed.clientID]?.status == "failed", "\(first)")
                #expect(
                    slack.requests.count == 1 && slack.requests[0].body.contains("failed")
                        && slack.requests[0].body.contains("tries again after 1, 5, 15 and 60 minutes"),
                    "\(slack.requests.map(\.body))")

                // Each wait: a tick just before it calls nothing; one just after tries again, and fails quietly.
                for minutes in [1, 5, 15, 60] {
                    clock.advance(by: .seconds(minutes * 60 - 2))
                    let before = fake.requests
                    #expect(await scheduler.tick().isEmpty, "\(minutes) min: not yet")
                    #expect(fake.requests == before, "no call to the sequencer before the wait is over")
                    clock.advance(by: .seconds(3))
                    #expect(await scheduler.tick()[setup.seed.clientID]?.status == "failed", "\(minutes) min: tried again")
                }
                #expect(slack.requests.count == 1, "retries that fail again stay quiet: \(slack.requests.map(\.body))")
                // After the fifth failure (about 15:47 in New York) the next try is at the next export hour: 14:00 tomorrow.
                clock.advance(by: .seconds(3 * 3600))
                #expect(await scheduler.tick().isEmpty, "three hours later: still waiting for the export hour")
                fake.set { $0.failActivations = 0 }
                let tomorrow = ExportRetry.next(failures: 5, failedAt: clock.nowMillis, timeZone: "America/New_York", exportHour: 14)
                clock.advance(by: .milliseconds(tomorrow - clock.nowMillis + 60_000))
                let recovered = await scheduler.tick()
                #expect(recovered[setup.seed.clientID]?.status == "finished" && recovered[setup.seed.clientID]?.recoveredAfter == 5, "\(recovered)")
                #expect(fake.allCampaigns.map(\.status) == [1])
                #expect(
                    slack.requests.count == 2 && slack.requests[1].body.contains("Recovered: the unfinished run is done after 5 failed tries"),
                    "\(slack.requests.map(\.body))")
            }
        }
    }
}
