import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// The daily rollup equals a recount from the raw emails and review events after every kind of
/// change — drafts through the gate (auto-approved and sampled), decisions, undo, back-dated times,
/// a deleted batch, the demo history — on both databases; a rebuild gives the same rows; a time-zone
/// change moves a client's days; and the dashboard's figures for a range that cuts a day in two by
/// time zone count exactly the decisions of those local days.
@Suite("Daily rollup")
struct RollupRecountTests {
    /// 2026-03-10 03:30 UTC: still 9 March in New York (EDT, UTC−4), already the 10th in London.
    static let lateEvening = 1_773_113_400_000
    /// 2026-03-10 04:30 UTC: the 10th in New York too.
    static let afterMidnight = lateEvening + 3_600_000

    static func expectMatches(_ database: Database, _ when: String) async throws {
        let stored = try await RawRollup.stored(database)
        let recount = try await RawRollup.recount(database)
        #expect(stored == recount, "\(when): stored vs recount\n\(stored.difference(from: recount))")
    }

    static func setTimes(_ database: Database, ids: [Int], reviewedAt: Int) async throws {
        try await database.write { sql in
            try await sql.raw(
                "UPDATE generated_emails SET reviewed_at = \(bind: reviewedAt), created_at = \(bind: reviewedAt - 86_400_000) WHERE id IN (\(binds: ids))"
            ).run()
        }
    }

    static func profile(name: String, timezone: String) throws -> (ClientProfile, ContextPack) {
        let folder = try ContextPackFolder(path: TestDatabase.paths.demoData + "/pack").read()
        var profile = folder.profile
        profile.name = name
        profile.timezone = timezone
        return (profile, folder.pack)
    }

    @Test(
        "the rollup equals a recount after drafts, gate, decisions, undo, moved times, a deleted batch and the demo history",
        arguments: DatabaseDialect.allCases)
    func recount(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let london = try await Seed.make(database, contacts: 30)
            let (harborProfile, harborPack) = try Self.profile(name: "Harbor Freight", timezone: "America/New_York")
            let harborID = try await ClientRepository(database: database).save(profile: harborProfile, pack: harborPack)
            let templateText = try String(contentsOfFile: TestDatabase.paths.demoData + "/template.md", encoding: .utf8)
            let harborTemplate = try await TemplateRepository(database: database).save(try TemplateFile.parse(templateText), clientID: harborID)
            let harbor = Seed(clientID: harborID, templateID: harborTemplate, batchID: 0)
            try await RolloutFlowTests.configure(database, clientID: harborID, phase: .full, sampleRate: "0.5")
            _ = try await Seed.importAndDraft(database, seed: harbor, contacts: 40, prefix: "harbor")
            try await Self.expectMatches(database, "after drafting (gate: auto-approved and sampled)")

            let sam = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            let kim = try await Seed.user(database, email: "kim@team.example", name: "Kim")
            let key = Reviewer(id: nil, name: "clay (API key)")
            let decider = ReviewDecider(database: database)
            let now = TimeSource.system.nowMillis()
            let londonIDs = try await ReviewQueue(database: database).page(QueueFilter(clientID: london.clientID), limit: 30).emails.map(\.id)
            let harborIDs = try await ReviewQueue(database: database).page(QueueFilter(clientID: harborID), limit: 30).emails.map(\.id)
            #expect(londonIDs.count == 30 && harborIDs.count >= 5, "half of Harbor's 40 drafts are held back for review: \(harborIDs.count)")
            let decisions: [ReviewDecision] = [
                .approve, .approve, .edit(body: "Shorter, kinder."), .reject(reason: .toneTooCorporate, details: "stiff"),
                .approve, .reject(reason: .wrongPersona, details: nil),
            ]
            for (index, id) in londonIDs.prefix(24).enumerated() {
                let reviewer = [sam.reviewer, kim.reviewer, key][index % 3]
                _ = try await decider.decide(decisions[index % decisions.count], emailID: id, by: reviewer, shownAt: now - (index % 4) * 2_500)
            }
            for (index, id) in harborIDs.enumerated() {
                _ = try await decider.decide(
                    decisions[(index + 1) % decisions.count], emailID: id, by: index % 2 == 0 ? sam.reviewer : kim.reviewer, shownAt: now - 30_000)
            }
            try await Self.expectMatches(database, "after decisions")

            _ = try await decider.undo(emailID: londonIDs[3], by: key)
            _ = try await decider.undo(emailID: londonIDs[2], by: key)
            _ = try await decider.decide(.reject(reason: .lowQuality, details: nil), emailID: londonIDs[2], by: kim.reviewer)
            try await Self.expectMatches(database, "after undo and a new decision")

            // Decisions back-dated around New York's midnight: 3 Harbor on the evening of the 9th (local),
            // 2 Harbor and 2 London just after, on the 10th.
            let decidedHarbor = Array(harborIDs.prefix(5))
            try await Self.setTimes(database, ids: Array(decidedHarbor.prefix(3)), reviewedAt: Self.lateEvening)
            try await Self.setTimes(database, ids: Array(decidedHarbor.suffix(2)), reviewedAt: Self.afterMidnight)
            try await Self.setTimes(database, ids: [londonIDs[0], londonIDs[1]], reviewedAt: Self.lateEvening)
            try await Self.expectMatches(database, "after moving times")

            let ninth = try DashboardRange(from: "2026-03-09", to: "2026-03-09", now: now)
            let tenth = try DashboardRange(from: "2026-03-10", to: "2026-03-10", now: now)
            #expect(try await DashboardFigures.read(database, range: ninth, clientIDs: nil, now: now).decisions.total == 3)
            #expect(try await DashboardFigures.read(database, range: tenth, clientIDs: nil, now: now).decisions.total == 4)
            #expect(try await DashboardFigures.read(database, range: tenth, clientIDs: [harborID], now: now).decisions.total == 2)
            // Their drafts were made a day earlier: in New York 3 on the 8th and 2 on the 9th; in London 2 on the 9th.
            #expect(try await DashboardFigures.read(database, range: ninth, clientIDs: nil, now: now).generated == 4)
            #expect(
                try await DashboardFigures.read(
                    database, range: try DashboardRange(from: "2026-03-08", to: "2026-03-08", now: now), clientIDs: [harborID], now: now
                ).generated == 3)

            // A batch of pending drafts removed with its batch (the cascade deletes them).
            let extra = try await Seed.importAndDraft(database, seed: london, contacts: 6, prefix: "gone")
            try await database.write { sql in try await sql.raw("DELETE FROM contact_batches WHERE id = \(bind: extra)").run() }
            try await Self.expectMatches(database, "after a batch is deleted")

            try await DemoHistory(database: database, hasher: PasswordHasher(cost: 4), clock: TimeSource { now }).create(
                clientID: london.clientID, templateID: london.templateID)
            try await Self.expectMatches(database, "after the demo history")

            // The rebuild (after the migration, or a time-zone change) gives the same rows as the triggers.
            let before = try await RawRollup.stored(database)
            try await database.write { sql in try await DailyRollup.rebuild(sql) }
            let rebuilt = try await RawRollup.stored(database)
            #expect(rebuilt == before, "rebuild vs triggers\n\(rebuilt.difference(from: before))")

            // London moves to Los Angeles (UTC−7): its two decisions of 03:30 UTC fall on the 9th.
            let (moved, pack) = try Self.profile(name: "Northwind Ledger", timezone: "America/Los_Angeles")
            _ = try await ClientRepository(database: database).save(profile: moved, pack: pack)
            try await Self.expectMatches(database, "after a time-zone change")
            #expect(try await DashboardFigures.read(database, range: ninth, clientIDs: nil, now: now).decisions.total == 5)
            #expect(try await DashboardFigures.read(database, range: tenth, clientIDs: nil, now: now).decisions.total == 2)
            // A range of whole months reads monthly_counts: the same figures as day by day.
            let march = try DashboardRange(from: "2026-03-01", to: "2026-03-31", now: now)
            let marchFigures = try await DashboardFigures.read(database, range: march, clientIDs: nil, now: now)
            let marchDays = try await DashboardFigures.read(
                database, range: try DashboardRange(from: "2026-03-02", to: "2026-03-30", now: now), clientIDs: nil, now: now)
            #expect(marchFigures.generated == 7, "5 Harbor drafts and 2 London (now Los Angeles) ones were back-dated into March")
            #expect(
                marchFigures.generated == marchDays.generated && marchFigures.byStatus == marchDays.byStatus
                    && marchFigures.histogram == marchDays.histogram
                    && marchFigures.reviewTimes == marchDays.reviewTimes && marchFigures.reasons == marchDays.reasons)

            // The export settings change the zone through the same one place: Harbor moves to Tokyo
            // (UTC+9, 14 hours from New York), and its days move with it.
            let harborBefore = try await ExportSettings.load(database, clientID: harborID)
            var tokyo = harborBefore
            tokyo.timezone = "Asia/Tokyo"
            try await tokyo.save(database, clientID: harborID, clientName: "Harbor Freight", replacing: harborBefore, userID: nil, now: now)
            try await Self.expectMatches(database, "after the export settings moved Harbor to Tokyo")
            #expect(try await ExportSettings.load(database, clientID: harborID).timezone == "Asia/Tokyo")
            let audit = try await AuditLog(database: database).recent().first { $0.action == "export settings saved" }
            #expect(audit?.details.contains("Asia/Tokyo") == true, "\(String(describing: audit))")
        }
    }

    @Test("a migrated database with history gets its rollup filled when migration 8 arrives", arguments: DatabaseDialect.allCases)
    func filledByMigration(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 12)
            let sam = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            for id in try await ReviewQueue(database: database).page(QueueFilter(), limit: 8).emails.map(\.id) {
                _ = try await ReviewDecider(database: database).decide(
                    id % 3 == 0 ? .reject(reason: .other, details: nil) : .approve, emailID: id, by: sam.reviewer)
            }
            _ = seed
            try await RollupLog.fold(database)
            let expected = try await RawRollup.recount(database)
            #expect(!expected.counts.isEmpty && !expected.reviews.isEmpty)
            try await database.write { sql in
                try await sql.raw("DELETE FROM daily_counts").run()
                try await sql.raw("DELETE FROM daily_reviews").run()
            }
            try await DailyRollup.fillAfterMigration(database, applied: [7], logger: TestDatabase.logger)
            #expect(try await RawRollup.storedUnfolded(database).counts.isEmpty, "only migration 8 fills it")
            try await DailyRollup.fillAfterMigration(database, applied: [8], logger: TestDatabase.logger)
            #expect(try await RawRollup.stored(database) == expected)
        }
    }

    @Test("local days: offsets, daylight saving, negative instants, and the day arithmetic round-trips")
    func localDays() {
        #expect(LocalDay.of(millis: Self.lateEvening, timeZone: "America/New_York") == "2026-03-09")
        #expect(LocalDay.of(millis: Self.lateEvening, timeZone: "Europe/London") == "2026-03-10")
        #expect(LocalDay.of(millis: Self.lateEvening, timeZone: "Asia/Kolkata") == "2026-03-10")
        #expect(LocalDay.of(millis: -1, timeZone: "UTC") == "1969-12-31")
        #expect(LocalDay.of(millis: 0, timeZone: "UTC") == "1970-01-01")
        #expect(LocalDay.of(millis: Self.lateEvening, timeZone: "Not/AZone") == "2026-03-10", "an unknown zone reads as UTC")
        for number in stride(from: -719_000, through: 2_900_000, by: 997) {
            let text = LocalDay.text(ofDayNumber: number)
            #expect(LocalDay.dayNumber(of: text) == number)
        }
        for millis in stride(from: 0, through: 4_000_000_000_000, by: 86_400_000 * 37 + 12_345_678) {
            #expect(LocalDay.of(millis: millis, timeZone: "Australia/Lord_Howe") == RawRollup.day(millis, "Australia/Lord_Howe"))
        }
        #expect(
            LocalDay.dayNumber(of: "2026-02-29") == nil && LocalDay.dayNumber(of: "2024-02-29") != nil && LocalDay.dayNumber(of: "2026-1-01") == nil)
        #expect(LocalDay.adding(-6, to: "2026-03-03") == "2026-02-25")
        // A range read as whole months plus the days at its edges.
        let year = DailyRollup.pieces(from: "2025-12-02", to: "2026-12-01")
        #expect(year.months == (1...11).map { String(format: "2026-%02d", $0) })
        #expect(year.days.map { "\($0.from)..\($0.to)" } == ["2025-12-02..2025-12-31", "2026-12-01..2026-12-01"])
        #expect(DailyRollup.pieces(from: "2024-02-01", to: "2024-02-29").months == ["2024-02"])
        let inside = DailyRollup.pieces(from: "2026-03-09", to: "2026-03-10")
        #expect(inside.months.isEmpty && inside.days.map { "\($0.from)..\($0.to)" } == ["2026-03-09..2026-03-10"])
    }
}
