import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// Exports are in the audit log: a sequencer run's end (by Greenlight, with who started it and what it
/// sent), and a CSV file prepared, confirmed or cancelled (by whoever did it).
@Suite("Export audit", .timeLimit(.minutes(15)))
struct ExportAuditTests {
    static func entries(_ database: Database) async throws -> [String] {
        try await AuditLog(database: database).recent().map { "\($0.actor) | \($0.action) | \($0.target) | \($0.details)" }
    }

    @Test("a scheduled run's end is Greenlight's entry with its counts; a CSV file's steps are the user's", arguments: DatabaseDialect.allCases)
    func audited(_ dialect: DatabaseDialect) async throws {
        try await ExportTests.with(dialect, .instantly, contacts: 12) { setup, _ in
            try await ExportTests.approve(setup, count: 3)
            let outcome = try await ExportTests.exporter(setup).run(clientID: setup.seed.clientID, trigger: .schedule)
            #expect(outcome.status == "finished" && outcome.sent == 3)
            let runEnd = try #require(try await Self.entries(setup.database).first)
            #expect(
                runEnd
                    == "Greenlight | export run finished | Northwind Ledger | run \(try #require(outcome.runID)) to Instantly, started by the daily schedule: 3 leads sent, 0 failed"
            )

            let boss = try await Seed.user(setup.database, email: "boss@team.example", role: .manager, name: "Boss")
            try await ExportTests.approve(setup, count: 2)
            let export = CSVExport(database: setup.database, clock: setup.clock.source)
            let first = try #require(try await export.prepare(clientID: setup.seed.clientID, userID: boss.id))
            #expect(try await export.confirm(runID: first.runID, clientIDs: nil, userID: boss.id) == 2)
            try await ExportTests.approve(setup, count: 1)
            let second = try #require(try await export.prepare(clientID: setup.seed.clientID, userID: boss.id))
            try await export.cancel(runID: second.runID, clientIDs: nil)
            let latest = try await Self.entries(setup.database).prefix(4)
            #expect(
                Array(latest) == [
                    "command line | CSV file cancelled | Northwind Ledger | run \(second.runID): not uploaded; its emails stay approved",
                    "Boss | CSV file prepared | Northwind Ledger | run \(second.runID): 1 email waiting for upload",
                    "Boss | CSV upload confirmed | Northwind Ledger | run \(first.runID): 2 emails marked sent",
                    "Boss | CSV file prepared | Northwind Ledger | run \(first.runID): 2 emails waiting for upload",
                ])
        }
    }
}
