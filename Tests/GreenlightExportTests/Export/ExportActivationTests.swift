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

/// Starting a campaign is a step of the ledger (issue 27, item 3): with "start each campaign at
/// once" on, a run whose start call fails ends `failed` with its campaign waiting, shown on the
/// export page with a button that starts it; the next run starts it too; a run is `finished` only
/// once its campaign is started.
@Suite("Export: campaigns started for sure", .timeLimit(.minutes(15)))
struct ExportActivationTests {
    static func activating(_ setup: ExportTests.Setup) async throws {
        try await setup.database.write { sql in
            var settings = try await ExportSettings.load(sql, clientID: setup.seed.clientID)
            settings.activate = true
            try await settings.save(sql, clientID: setup.seed.clientID, now: setup.clock.nowMillis)
        }
    }

    @Test(
        "a start call answered 500: the run fails with the campaign waiting; the next run starts it and only then finishes",
        arguments: DatabaseDialect.allCases, FakeSequencer.Vendor.allCases)
    func failedStartRetried(_ dialect: DatabaseDialect, _ vendor: FakeSequencer.Vendor) async throws {
        try await ExportTests.with(dialect, vendor) { setup, fake in
            try await Self.activating(setup)
            let ids = try await ExportTests.approve(setup, count: 7)
            fake.set { $0.failActivations = 1 }
            let first = try await ExportTests.exporter(setup, retries: 0).run(clientID: setup.seed.clientID)
            #expect(first.status == "failed" && first.sent == 7 && first.error?.contains("was not started") == true, "\(first)")
            #expect(try await ExportFixtures.statuses(setup.database, ids) == Array(repeating: "sent", count: 7), "the leads are in the campaign")
            #expect(fake.allCampaigns.map(\.status) == [0], "the campaign is still a draft")
            let waiting = try await ExportHistory(database: setup.database).waitingCampaigns(clientID: setup.seed.clientID)
            #expect(
                waiting.count == 1 && waiting[0].campaignID == fake.allCampaigns.first?.id && waiting[0].error?.contains("500") == true, "\(waiting)")

            let next = try await ExportTests.exporter(setup).run(clientID: setup.seed.clientID)
            #expect(next.status == "finished" && next.resumed && next.runID == first.runID, "the failed run is finished by the next: \(next)")
            #expect(fake.allCampaigns.map(\.status) == [1], "started")
            #expect(try await ExportHistory(database: setup.database).waitingCampaigns(clientID: setup.seed.clientID).isEmpty)
            #expect(fake.receivedCounts.values.allSatisfy { $0 == 1 } && fake.receivedCounts.count == 7, "no lead sent again")
            let again = try await ExportTests.exporter(setup).run(clientID: setup.seed.clientID)
            #expect(again.claimed == 0 && !again.resumed, "nothing left open: \(again)")
        }
    }

    @Test("the export page shows a campaign waiting to start, and its button starts it", arguments: DatabaseDialect.allCases)
    func startFromThePage(_ dialect: DatabaseDialect) async throws {
        try await ExportStartTests.withExportApp(dialect, .instantly, latency: .zero) { database, seed, fake, boss, _, _ in
            var boss = boss
            try await database.write { sql in try await sql.raw("UPDATE clients SET activate_campaigns = 1").run() }
            fake.set { $0.failActivations = 3 }
            _ = try await boss.post("/clients/\(seed.clientID)/export/run")
            let runID = try #require(
                try await database.read { sql in
                    try await sql.raw("SELECT MAX(id) AS id FROM export_runs").first()?.decode(column: "id", as: Int?.self)
                })
            #expect(try await ExportFixtures.settled(database, runID: runID) == "failed")
            let page = try await boss.request("/clients/\(seed.clientID)/export")
            let campaign = try #require(fake.allCampaigns.first)
            #expect(
                page.text.contains("Campaigns waiting to start")
                    && page.text.contains("<strong>\(campaign.name)</strong> (\(campaign.id), run \(runID))"), "\(page.text.count)")
            #expect(page.text.contains("last try: ") && page.text.contains("500"))
            #expect(page.text.contains("action=\"/clients/\(seed.clientID)/export/activate\""))
            fake.set { $0.failActivations = 0 }
            let started = try await boss.post("/clients/\(seed.clientID)/export/activate")
            #expect(started.status == .seeOther)
            // The run already reads `failed`: wait for the background task to finish it.
            let deadline = ContinuousClock.now + .seconds(60)
            while try await ExportFixtures.settled(database, runID: runID) != "finished", ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await ExportFixtures.settled(database, runID: runID) == "finished")
            #expect(fake.allCampaigns.map(\.status) == [1])
            let after = try await boss.request("/clients/\(seed.clientID)/export")
            #expect(!after.text.contains("Campaigns waiting to start"))
            #expect(fake.receivedCounts.count == 12 && fake.receivedCounts.values.allSatisfy { $0 == 1 })
        }
    }
}
