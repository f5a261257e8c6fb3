import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// The rollup's log (migration 0016): a decision's counts wait in `rollup_log` until a fold adds
/// them; the dashboard folds before it reads; folds of any size give the totals of a recount; a fold
/// that fails leaves its rows for the next; and on PostgreSQL, folders running while reviewers decide
/// count every change exactly once, and the background folder steps aside while another folds.
@Suite("Rollup log")
struct RollupLogTests {
    static let decisions: [ReviewDecision] = [.approve, .edit(body: "Shorter, kinder."), .reject(reason: .lowQuality, details: nil), .approve]

    /// Decides `count` pending emails of the seed in turn (approve, edit, reject, approve …).
    static func decide(_ database: Database, _ count: Int, by reviewer: Reviewer) async throws -> [Int] {
        let ids = try await ReviewQueue(database: database).page(QueueFilter(), limit: count).emails.map(\.id)
        for (index, id) in ids.enumerated() {
            _ = try await ReviewDecider(database: database).decide(
                decisions[index % decisions.count], emailID: id, by: reviewer, shownAt: TimeSource.system.nowMillis() - index * 1_000)
        }
        return ids
    }

    static func logRows(_ database: Database, _ table: String = "rollup_log") async throws -> Int {
        try await database.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    @Test("a decision waits in the log until folded; the dashboard folds first and reads exact figures", arguments: DatabaseDialect.allCases)
    func dashboardFoldsFirst(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            _ = try await Seed.make(database, contacts: 12)
            let sam = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            try await RollupLog.fold(database)
            #expect(try await RollupLog.isPending(database) == false)
            let before = try await RawRollup.storedUnfolded(database)

            _ = try await Self.decide(database, 8, by: sam.reviewer)
            #expect(try await Self.logRows(database) == 16, "each decision logs its old values and its new ones")
            #expect(try await Self.logRows(database, "rollup_event_log") == 8)
            #expect(try await RawRollup.storedUnfolded(database) == before, "the decisions' transactions wrote no rollup row")

            let today = try DashboardRange(
                from: LocalDay.of(millis: TimeSource.system.nowMillis(), timeZone: "Europe/London"),
                to: LocalDay.of(millis: TimeSource.system.nowMillis(), timeZone: "Europe/London"), now: TimeSource.system.nowMillis())
            let figures = try await DashboardFigures.read(database, range: today, clientIDs: nil, now: TimeSource.system.nowMillis())
            #expect(figures.decisions == DashboardFigures.Decisions(approved: 4, edited: 2, rejected: 2))
            #expect(try await RollupLog.isPending(database) == false)
            let recount = try await RawRollup.recount(database)
            let stored = try await RawRollup.storedUnfolded(database)
            #expect(stored == recount, "\(stored.difference(from: recount))")
        }
    }

    @Test(
        "folds of 1, 3 or all rows give the recount's totals; a fold rolled back leaves its rows and the rollup as they were",
        arguments: DatabaseDialect.allCases)
    func batchesAndFailures(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 30)
            let sam = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            try await RollupLog.fold(database)
            _ = try await Self.decide(database, 5, by: sam.reviewer)
            #expect(try await RollupLog.fold(database, batch: 1) == 15, "10 email changes and 5 review events")

            _ = try await Self.decide(database, 7, by: sam.reviewer)
            _ = try await Seed.importAndDraft(database, seed: seed, contacts: 4, prefix: "later")
            #expect(try await RollupLog.fold(database, batch: 3) == 25, "14 email changes, 4 new drafts and 7 review events")
            var recount = try await RawRollup.recount(database)
            #expect(try await RawRollup.storedUnfolded(database) == recount)

            // A fold whose transaction fails (here: an error thrown after the fold's statements) changes nothing.
            _ = try await Self.decide(database, 3, by: sam.reviewer)
            let folded = try await RawRollup.storedUnfolded(database)
            struct Interrupted: Error {}
            await #expect(throws: Interrupted.self) {
                try await database.write { sql in
                    #expect(try await RollupLog.foldBatch(sql, dialect: dialect, limit: nil) == 6)
                    throw Interrupted()
                }
            }
            #expect(try await Self.logRows(database) == 6, "the rows of the failed fold are still in the log")
            #expect(try await Self.logRows(database, "rollup_event_log") == 3)
            #expect(try await RawRollup.storedUnfolded(database) == folded)
            #expect(try await RollupLog.fold(database) == 9)
            recount = try await RawRollup.recount(database)
            #expect(try await RawRollup.storedUnfolded(database) == recount)
        }
    }

    @Test(
        "a reviewer's run of approvals continues across folds, restarts after an edit or a rejection, and keeps its longest",
        arguments: DatabaseDialect.allCases)
    func runsAcrossFolds(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            _ = try await Seed.make(database, contacts: 24)
            let sam = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            var ids = try await ReviewQueue(database: database).page(QueueFilter(), limit: 24).emails.map(\.id)[...]
            // (decisions, Sam's run and longest run after folding them)
            let chunks: [(String, Int, Int)] = [("AAA", 3, 3), ("AARAAAAEA", 1, 5), ("AAA", 4, 5), ("AA", 6, 6), ("R", 0, 6)]
            for (letters, run, longest) in chunks {
                for letter in letters {
                    let decision: ReviewDecision =
                        switch letter {
                        case "A": .approve
                        case "E": .edit(body: "Shorter.")
                        default: .reject(reason: .other, details: nil)
                        }
                    _ = try await ReviewDecider(database: database).decide(decision, emailID: ids.removeFirst(), by: sam.reviewer)
                }
                try await RollupLog.fold(database)
                let stored = try await RawRollup.storedUnfolded(database)
                let recount = try await RawRollup.recount(database)
                #expect(stored == recount, "after \(letters): \(stored.difference(from: recount))")
                let sams = stored.reviews.filter { $0.key.contains("|Sam") }.values
                #expect(sams.count == 1 && sams.first?[6] == run && sams.first?[7] == longest, "after \(letters): \(sams)")
            }
        }
    }

    @Test("PostgreSQL: folders running while eight reviewers decide count every change once; a folder that finds another folding steps aside")
    func concurrentFolders() async throws {
        try await TestDatabase.withPostgres { database in
            _ = try await Seed.make(database, contacts: 160)
            var reviewers: [Reviewer] = []
            for n in 0..<8 { reviewers.append(try await Seed.user(database, email: "r\(n)@team.example", name: "Reviewer \(n)").reviewer) }
            let ids = try await ReviewQueue(database: database).page(QueueFilter(), limit: 160).emails.map(\.id)
            #expect(ids.count == 160)
            try await RollupLog.fold(database)
            let reviewing = reviewers
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (n, reviewer) in reviewing.enumerated() {
                    group.addTask {
                        for (index, id) in ids.enumerated() where index % 8 == n {
                            _ = try await ReviewDecider(database: database).decide(
                                Self.decisions[index % Self.decisions.count], emailID: id, by: reviewer)
                        }
                    }
                }
                for _ in 0..<3 {
                    group.addTask {
                        for _ in 0..<40 { try await RollupLog.fold(database, batch: 7, wait: Bool.random()) }
                    }
                }
                try await group.waitForAll()
            }
            try await RollupLog.fold(database)
            let recount = try await RawRollup.recount(database)
            let stored = try await RawRollup.storedUnfolded(database)
            #expect(stored == recount, "\(stored.difference(from: recount))")
            #expect(recount.reviews.values.reduce(0) { $0 + $1[0] + $1[1] + $1[2] } == 160)

            // While one transaction holds the folders' lock, the background folder's round folds nothing.
            try await database.write { sql in
                try await sql.raw("UPDATE generated_emails SET review_ms = review_ms + 1 WHERE id = \(bind: ids[0])").run()
            }
            try await database.write { sql in
                try await RollupLog.lock(sql)
                #expect(try await RollupLog.fold(database, wait: false) == 0)
            }
            #expect(try await RollupLog.fold(database, wait: false) == 2)
            #expect(try await RollupLog.isPending(database) == false)
        }
    }
}
