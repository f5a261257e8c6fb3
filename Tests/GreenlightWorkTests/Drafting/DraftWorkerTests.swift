import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Synchronization
import Testing
import GreenlightTestSupport

/// Background drafting on both databases: workers claim contacts with a lease; a worker killed after
/// claiming loses no contact (another takes them once the lease runs out) and a worker whose lease
/// was taken over stores nothing; two workers on one batch draft every contact exactly once.
@Suite("Draft workers", .timeLimit(.minutes(15)))
struct DraftWorkerTests {
    struct Crash: Error {}

    /// A queued batch of `count` contacts, not drafted.
    static func queued(_ database: Database, count: Int) async throws -> (seed: Seed, batchID: Int) {
        let seed = try await Seed.make(database, contacts: 0)
        let batch = try await ContactImporter(database: database).importCSV(
            .bytes(Array(Seed.csv(count, domain: "jobs").utf8)), fileName: "jobs.csv",
            clientID: seed.clientID, templateID: seed.templateID, queuedAt: TimeSource.system.nowMillis()
        ).batchID
        return (seed, batch)
    }

    static func counts(_ database: Database, batchID: Int) async throws -> (emails: Int, distinct: Int, pending: Int, status: String) {
        try await database.read { sql in
            let emails = try await sql.raw(
                "SELECT COUNT(*) AS n, COUNT(DISTINCT contact_id) AS d FROM generated_emails WHERE batch_id = \(bind: batchID)"
            ).first()
            let pending = try await sql.raw("SELECT COUNT(*) AS n FROM contacts WHERE batch_id = \(bind: batchID) AND status = 'pending'").first()
            let status = try await sql.raw("SELECT status FROM contact_batches WHERE id = \(bind: batchID)").first()
            return (
                try emails?.decode(column: "n", as: Int.self) ?? -1, try emails?.decode(column: "d", as: Int.self) ?? -1,
                try pending?.decode(column: "n", as: Int.self) ?? -1, try status?.decode(column: "status", as: String.self) ?? "?"
            )
        }
    }

    @Test("a worker killed after claiming loses no contact; the lease runs out and another drafts them, once", arguments: DatabaseDialect.allCases)
    func killed(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let (_, batch) = try await Self.queued(database, count: 10)
            let clock = ManualClock()
            let dying = DraftWorker(
                database: database, filler: ContextPackFiller(), clock: clock.source, owner: "a", claimSize: 4, afterClaim: { _ in throw Crash() })
            await #expect(throws: Crash.self) { try await dying.runOnce() }
            let survivor = DraftWorker(database: database, filler: ContextPackFiller(), clock: clock.source, owner: "b", claimSize: 4)
            #expect(try await survivor.runUntilIdle() == 6, "the dead worker's 4 are still leased")
            #expect(try await Self.counts(database, batchID: batch).pending == 4)
            clock.advance(by: .seconds(301))
            #expect(try await survivor.runUntilIdle() == 4, "its lease ran out: taken over")
            let counts = try await Self.counts(database, batchID: batch)
            #expect(counts.emails == 10 && counts.distinct == 10 && counts.pending == 0 && counts.status == "generated", "\(counts)")
        }
    }

    @Test("a worker whose lease was taken over stores nothing: no contact twice", arguments: DatabaseDialect.allCases)
    func takenOver(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let (_, batch) = try await Self.queued(database, count: 5)
            let clock = ManualClock()
            let other = DraftWorker(database: database, filler: ContextPackFiller(), clock: clock.source, owner: "b")
            let slow = DraftWorker(
                database: database, filler: ContextPackFiller(), clock: clock.source, owner: "a", claimSize: 5,
                afterClaim: { _ in
                    // The slow worker stalls past its lease; the other takes its contacts and drafts them meanwhile.
                    clock.advance(by: .seconds(301))
                    _ = try await other.runUntilIdle()
                })
            #expect(try await slow.runOnce() == 0)
            let counts = try await Self.counts(database, batchID: batch)
            #expect(counts.emails == 5 && counts.distinct == 5 && counts.status == "generated", "\(counts)")
        }
    }

    @Test(
        "two workers at once share a batch and draft every contact exactly once (one a handful at a time, one draining with refills)",
        arguments: DatabaseDialect.allCases)
    func shared(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let (seed, batch) = try await Self.queued(database, count: 40)
            let a = DraftWorker(database: database, filler: ContextPackFiller(), owner: "a", claimSize: 3)
            let b = DraftWorker(database: database, filler: ContextPackFiller(), owner: "b", claimSize: 3, concurrency: 4)
            async let first = a.runUntilIdle()
            async let second = b.drain()
            let (done1, done2) = try await (first, second)
            #expect(done1 + done2 == 40, "\(done1) + \(done2)")
            #expect(try await b.drain() == 0, "nothing left to claim")
            let counts = try await Self.counts(database, batchID: batch)
            #expect(counts.emails == 40 && counts.distinct == 40 && counts.pending == 0 && counts.status == "generated", "\(counts)")
            // A batch imported without queuing is not the workers' to draft.
            let plain = try await ContactImporter(database: database).importCSV(
                .bytes(Array(Seed.csv(3, domain: "plain").utf8)), fileName: "plain.csv",
                clientID: try #require(try await ClientRepository(database: database).all().first?.id),
                templateID: try #require(try await TemplateRepository(database: database).all(clientID: nil).first?.id)
            ).batchID
            let drafted = try await a.runUntilIdle()
            let left = try await Self.counts(database, batchID: plain).pending
            #expect(drafted == 0 && left == 3)
            // Shutting down: the handful in hand is finished and stored, nothing more is claimed.
            let next = try await ContactImporter(database: database).importCSV(
                .bytes(Array(Seed.csv(10, domain: "later").utf8)), fileName: "later.csv",
                clientID: seed.clientID, templateID: seed.templateID, queuedAt: TimeSource.system.nowMillis()
            ).batchID
            let asked = Mutex(0)
            let stopping = DraftWorker(database: database, filler: ContextPackFiller(), owner: "c", claimSize: 3, concurrency: 2)
            #expect(
                try await stopping.drain(while: {
                    asked.withLock {
                        $0 += 1; return false
                    }
                }) == 3)
            let unclaimed = try await Self.counts(database, batchID: next).pending
            #expect(asked.withLock { $0 } >= 1 && unclaimed == 7)
        }
    }
}
