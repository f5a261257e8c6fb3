import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Logging
import SQLKit
import Testing
import GreenlightTestSupport

/// The daily export inside the server, on an injected clock: at the client's hour in its time zone,
/// once a day, catching up after downtime, across daylight-saving changes; two instances ticking at
/// once export each email once.
@Suite("Export schedule", .timeLimit(.minutes(15)))
struct ExportScheduleTests {
    /// 12 January next year, 13:30 in New York (EST, UTC−5): after every decision the tests make on the wall clock.
    static let year = Calendar(identifier: .gregorian).component(.year, from: Date()) + 1
    static let beforeHour: Int = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return Clock.millis(from: calendar.date(from: DateComponents(year: year, month: 1, day: 12, hour: 18, minute: 30))!)
    }()
    static func day(_ day: Int) -> String { String(format: "%04d-01-%02d", year, day) }

    static func scheduler(_ setup: ExportTests.Setup, owner: String) -> ExportScheduler {
        var logger = Logger(label: "schedule-test")
        logger.logLevel = .critical
        return ExportScheduler(
            database: setup.database, exporter: ExportTests.exporter(setup, owner: owner), clock: setup.clock.source, logger: logger)
    }

    static func setNewYork(_ setup: ExportTests.Setup) async throws {
        try await setup.database.write { sql in
            var settings = try await ExportSettings.load(sql, clientID: setup.seed.clientID)
            settings.timezone = "America/New_York"
            settings.exportHour = 14
            try await settings.validated().save(sql, clientID: setup.seed.clientID, now: TimeSource.system.nowMillis())
        }
    }

    static func scheduledDays(_ database: Database) async throws -> [String] {
        try await database.read { sql in
            try await sql.raw("SELECT local_day FROM export_runs WHERE local_day IS NOT NULL ORDER BY id").all().map {
                try $0.decode(column: "local_day", as: String.self)
            }
        }
    }

    @Test("at the client's hour in its time zone, once a day, catching up after downtime", arguments: DatabaseDialect.allCases)
    func daily(_ dialect: DatabaseDialect) async throws {
        try await ExportTests.with(dialect, contacts: 30) { setup, fake in
            try await Self.setNewYork(setup)
            let clock = setup.clock
            clock.advance(by: .milliseconds(Self.beforeHour - clock.nowMillis))
            let first = try await ExportTests.approve(setup, count: 6)
            let scheduler = Self.scheduler(setup, owner: "instance-a")
            #expect(await scheduler.tick().isEmpty, "13:30 in New York: a client new to the schedule waits for 14:00")
            clock.advance(by: .seconds(35 * 60))
            let ran = await scheduler.tick()
            #expect(ran[setup.seed.clientID]?.sent == 6, "\(ran)")
            #expect(try await Self.scheduledDays(setup.database) == [Self.day(12)])
            clock.advance(by: .seconds(60))
            #expect(await scheduler.tick().isEmpty, "once a day")

            // The next morning nothing is due; the server is down through the 13th's hour and comes back on
            // the morning of the 14th: the 13th's export runs then, with what was approved meanwhile.
            let second = try await ExportTests.approve(setup, count: 4)
            clock.advance(by: .seconds(19 * 3600))
            #expect(await scheduler.tick().isEmpty, "09:05 on the 13th")
            clock.advance(by: .seconds(25 * 3600))
            let caughtUp = await scheduler.tick()
            #expect(caughtUp[setup.seed.clientID]?.sent == 4, "\(caughtUp)")
            #expect(try await Self.scheduledDays(setup.database) == [Self.day(12), Self.day(13)])
            clock.advance(by: .seconds(4 * 3600))
            #expect(await scheduler.tick()[setup.seed.clientID]?.claimed == 0, "14:05 on the 14th: its own run, with nothing left to send")
            #expect(try await Self.scheduledDays(setup.database) == [Self.day(12), Self.day(13), Self.day(14)])
            #expect(fake.receivedCounts.count == first.count + second.count && fake.receivedCounts.values.allSatisfy { $0 == 1 })
        }
    }

    @Test("two instances ticking at once export each email once and record the day once", arguments: DatabaseDialect.allCases)
    func twoInstances(_ dialect: DatabaseDialect) async throws {
        try await ExportTests.with(dialect, contacts: 30) { setup, fake in
            try await Self.setNewYork(setup)
            setup.clock.advance(by: .milliseconds(Self.beforeHour + 3_600_000 - setup.clock.nowMillis))
            let ids = try await ExportTests.approve(setup, count: 20)
            async let a = Self.scheduler(setup, owner: "instance-a").tick()
            async let b = Self.scheduler(setup, owner: "instance-b").tick()
            let outcomes = await [a, b]
            #expect(outcomes.compactMap { $0[setup.seed.clientID]?.sent }.reduce(0, +) == 20, "\(outcomes)")
            #expect(try await Self.scheduledDays(setup.database) == [Self.day(12)])
            #expect(try await ExportFixtures.statuses(setup.database, ids) == Array(repeating: "sent", count: 20))
            #expect(fake.receivedCounts.values.sorted() == Array(repeating: 1, count: 20))
        }
    }

    @Test("the hour is read on the local clock across daylight-saving changes")
    func daylightSaving() {
        // New York springs forward on 2026-03-08 (02:00 EST → 03:00 EDT) and falls back on 2026-11-01.
        #expect(
            ExportScheduler.lastStruck(now: 1_772_909_940_000, timeZone: "America/New_York", exportHour: 14) == "2026-03-06", "13:59 EST on the 7th")
        #expect(
            ExportScheduler.lastStruck(now: 1_772_910_000_000, timeZone: "America/New_York", exportHour: 14) == "2026-03-07", "14:00 EST on the 7th")
        #expect(
            ExportScheduler.lastStruck(now: 1_773_079_140_000, timeZone: "America/New_York", exportHour: 14) == "2026-03-08",
            "13:59 EDT on the 9th is before 14:00")
        #expect(
            ExportScheduler.lastStruck(now: 1_773_079_200_000, timeZone: "America/New_York", exportHour: 14) == "2026-03-09",
            "14:00 EDT, 18:00 UTC, on the 9th")
        // The skipped hour: 02:00 does not exist on the 8th; 03:00 EDT (07:00 UTC) is past it.
        #expect(ExportScheduler.lastStruck(now: 1_772_953_140_000, timeZone: "America/New_York", exportHour: 2) == "2026-03-07", "01:59 EST")
        #expect(ExportScheduler.lastStruck(now: 1_772_953_200_000, timeZone: "America/New_York", exportHour: 2) == "2026-03-08", "03:00 EDT")
        #expect(
            ExportScheduler.lastStruck(now: 1_793_559_600_000, timeZone: "America/New_York", exportHour: 14) == "2026-11-01",
            "14:00 EST after falling back")
    }
}
