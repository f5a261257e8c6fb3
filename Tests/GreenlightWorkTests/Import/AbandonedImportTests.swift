import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import HTTPTypes
import SQLKit
import Testing
import GreenlightTestSupport

/// An import killed mid-file does not leave its batch `importing` for ever, holding its addresses.
@Suite("Abandoned imports")
struct AbandonedImportTests {
    @Test(
        "at start-up, importing batches without progress for minutes go with their contacts; live and finished ones stay",
        arguments: DatabaseDialect.allCases)
    func sweptAtStartUp(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 3)
            let writer = ImportBatchWriter(database: database, clientID: seed.clientID, clock: .system)
            let row = { (n: Int) in
                ContactRow(
                    rowNumber: n + 2, firstName: "A\(n)", lastName: "B", email: "killed\(n)@x.example", emailNormalized: "killed\(n)@x.example",
                    companyName: "X", website: "", linkedinURL: "", industry: "", extra: [:])
            }
            // A process died after its first chunk, 10 minutes ago.
            let killed = try await writer.create(templateID: seed.templateID, fileName: "killed.csv", userID: nil)
            _ = try await writer.insert((0..<3).map(row), batchID: killed)
            let tenMinutesAgo = TimeSource.system.nowMillis() - 10 * 60_000
            try await database.write { sql in
                try await sql.raw(
                    "UPDATE contact_batches SET progress_at = \(bind: tenMinutesAgo), created_at = \(bind: tenMinutesAgo) WHERE id = \(bind: killed)"
                ).run()
            }
            // Another import is running right now.
            let running = try await writer.create(templateID: seed.templateID, fileName: "running.csv", userID: nil)
            _ = try await writer.insert([row(10)], batchID: running)

            // Start-up: what every command does first.
            let reopened = try await Database.openMigrated(database.location, paths: TestDatabase.paths, logger: TestDatabase.logger)
            await reopened.close()

            #expect(
                try await Seed.count(database, "SELECT COUNT(*) AS n FROM contact_batches WHERE id = \(killed)") == 0, "the abandoned batch is gone")
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contacts WHERE batch_id = \(killed)") == 0, "with its contacts")
            #expect(
                try await Seed.count(database, "SELECT COUNT(*) AS n FROM contact_batches WHERE id = \(running)") == 1,
                "a running import is left alone")
            #expect(
                try await Seed.count(database, "SELECT COUNT(*) AS n FROM contact_batches WHERE id = \(seed.batchID)") == 1,
                "a finished import is left alone")
            // The addresses are free again.
            let again = try await ContactImporter(database: database).importCSV(
                .bytes(Array("email,company\nkilled0@x.example,X\n".utf8)), fileName: "again.csv", clientID: seed.clientID,
                templateID: seed.templateID)
            #expect(again.imported == 1)
        }
    }
}
