import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// PostgreSQL breaks a deadlock by aborting one of the transactions; ``Database/write(_:)`` runs the
/// victim again, so both writes land. (SQLite has one writer at a time and cannot deadlock: its
/// writes never overlap, so this test would only wait for itself there.)
@Suite("Deadlock retry")
struct DeadlockRetryTests {
    /// Lets two tasks go on only once both have arrived.
    actor Barrier {
        private var arrived = 0
        private var waiting: [CheckedContinuation<Void, Never>] = []

        func arrive() async {
            arrived += 1
            if arrived == 2 {
                waiting.forEach { $0.resume() }
                waiting = []
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }
    }

    /// Counts the attempts of both transactions.
    actor Counter {
        private(set) var value = 0

        func next() -> Int {
            value += 1
            return value
        }
    }

    @Test("two transactions locking two rows in crossed orders both commit; the victim runs twice")
    func crossedLocks() async throws {
        try await TestDatabase.withPostgres { database in
            try await database.write { sql in
                try await sql.raw("CREATE TABLE deadlock_probe (id INT PRIMARY KEY, n INT NOT NULL)").run()
                try await sql.raw("INSERT INTO deadlock_probe (id, n) VALUES (1, 0), (2, 0)").run()
            }
            let barrier = Barrier()
            let attempts = Counter()
            let cross: @Sendable (Int, Int) async throws -> Void = { first, second in
                try await database.write { sql in
                    let attempt = await attempts.next()
                    try await sql.raw("UPDATE deadlock_probe SET n = n + 1 WHERE id = \(bind: first)").run()
                    // Only the first two attempts meet: each holds its first row and then asks for the other's.
                    if attempt <= 2 { await barrier.arrive() }
                    try await sql.raw("UPDATE deadlock_probe SET n = n + 1 WHERE id = \(bind: second)").run()
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await cross(1, 2) }
                group.addTask { try await cross(2, 1) }
                try await group.waitForAll()
            }
            #expect(await attempts.value == 3, "one of the two was the deadlock's victim and ran again")
            let counts = try await database.read { sql in
                try await sql.raw("SELECT n FROM deadlock_probe ORDER BY id").all().map { try $0.decode(column: "n", as: Int.self) }
            }
            #expect(counts == [2, 2], "both transactions committed once")
        }
    }
}
