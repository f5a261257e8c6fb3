import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// The import across many chunks: row numbers and duplicates that span chunks, a failure part-way
/// that must leave nothing behind, concurrent imports for one client, and batches still importing.
@Suite("Streaming import")
struct StreamingImportTests {
    /// `count` rows; row N (the header is row 1) has the address `pN@x.example` unless `email` says otherwise.
    static func csv(_ count: Int, email: (Int) -> String = { "p\($0)@x.example" }) -> String {
        var text = "first_name,last_name,email,company_name,industry\n"
        for row in 2..<(count + 2) {
            text += "Zoë,Row \(row),\(email(row)),\"Company \(row / 3), Ltd\",Retail\n"
        }
        return text
    }

    @Test("duplicates across chunks get the first row's number, from a file read in chunks", arguments: DatabaseDialect.allCases)
    func duplicatesAcrossChunks(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 0, generate: false)
            let importer = ContactImporter(database: database)
            let earlier = try await importer.importCSV(
                .bytes(Array("email,company\nold@x.example,Old\n".utf8)), fileName: "old.csv", clientID: seed.clientID, templateID: seed.templateID)
            // Rows 2…2501: chunk 1 holds rows 2…1001, chunk 3 rows 2002 onwards (no row is skipped before them).
            let text = Self.csv(2500) { row in
                switch row {
                case 2200: " P10@X.example "
                case 2300: "p1500@x.example"
                case 2400: "OLD@x.example"
                case 1200: "not-an-email"
                default: "p\(row)@x.example"
                }
            }
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("greenlight-import-\(UUID().uuidString).csv").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let report = try await importer.importCSV(.file(path: path), fileName: "big.csv", clientID: seed.clientID, templateID: seed.templateID)
            #expect(report.rowsRead == 2500)
            #expect(report.imported == 2496)
            #expect(report.skipped.map(\.row) == [1200, 2200, 2300, 2400])
            #expect(
                report.skipped.map(\.reason) == [
                    "email \"not-an-email\" is not a valid address",
                    "duplicate of row 10 (same email, ignoring case)",
                    "duplicate of row 1500 (same email, ignoring case)",
                    "already imported for this client (batch \(earlier.batchID))",
                ])
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contacts WHERE batch_id = \(report.batchID)") == 2496)
            #expect(try await Seed.count(database, "SELECT row_number AS n FROM contacts WHERE email_normalized = 'p10@x.example'") == 10)
            let batch = try #require(try await BatchRepository(database: database).find(id: report.batchID))
            #expect(batch.status == .imported)
            #expect(batch.rowsTotal == 2500 && batch.rowsImported == 2496 && batch.skipped == report.skipped)
        }
    }

    @Test("a failure part-way, after chunks were written, leaves no batch and no contacts", arguments: DatabaseDialect.allCases)
    func failurePartWay(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 5, generate: false)
            let before = try await Seed.count(database, "SELECT COUNT(*) AS n FROM contacts")
            let importer = ContactImporter(database: database)
            let good = Array(Self.csv(3000).utf8)
            let failures: [(String, [UInt8], String)] = [
                (
                    "invalid UTF-8 in row 3002", good + Array("late@x.example,Caf".utf8) + [0xE9] + Array(",Retail\n".utf8),
                    "row 3002 is not valid UTF-8"
                ),
                ("NUL in row 3002", good + Array("late@x.example,Late".utf8) + [0] + Array("\n".utf8), "not CSV text"),
                (
                    "an unclosed quote",
                    good + Array("late@x.example,\"Late".utf8) + Array(repeating: UInt8(ascii: "x"), count: CSVRecordReader.maxRecordBytes),
                    "row 3002 is longer than 1 MB"
                ),
            ]
            for (label, bytes, message) in failures {
                #expect(bytes.count > 2 * TextEncoding.sniffLength, "\(label): the problem is far past the first chunks")
                do {
                    _ = try await importer.importCSV(.bytes(bytes), fileName: label, clientID: seed.clientID, templateID: seed.templateID)
                    Issue.record("\(label) was accepted")
                } catch let error as ImportError {
                    #expect(error.message.contains(message), "\(label): \(error.message)")
                }
                #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contact_batches") == 1, "\(label): only the seed's batch")
                #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contacts") == before, "\(label)")
            }
            let report = try await importer.importCSV(.bytes(good), fileName: "good.csv", clientID: seed.clientID, templateID: seed.templateID)
            #expect(report.imported == 3000, "the addresses of the failed imports are free again")
        }
    }

    struct Injected: Error {}

    @Test("an error thrown after chunks were written leaves nothing, and is the error the caller sees", arguments: DatabaseDialect.allCases)
    func injectedFailure(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 0, generate: false)
            var importer = ContactImporter(database: database, rowsPerChunk: 100)
            importer.afterChunk = { chunks in
                if chunks == 3 {
                    #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contacts") == 300, "three chunks are committed")
                    #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contact_batches WHERE status = 'importing'") == 1)
                    throw Injected()
                }
            }
            await #expect(throws: Injected.self) {
                _ = try await importer.importCSV(
                    .bytes(Array(Self.csv(1000).utf8)), fileName: "x.csv", clientID: seed.clientID, templateID: seed.templateID)
            }
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contact_batches") == 0)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contacts") == 0)
        }
    }

    @Test("concurrent imports of overlapping files for one client: both finish, each address once", arguments: DatabaseDialect.allCases)
    func concurrentOverlap(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 0, generate: false)
            // A has addresses 0…2999 in order; B starts with 0…1499, each chunk's worth in the opposite
            // order, then has 3000…4499. The two write the same addresses at the same time from opposite
            // ends: unless rows are inserted in one fixed order, PostgreSQL finds a deadlock.
            let first = Self.csv(3000) { "shared\($0 - 2)@x.example" }
            let second = Self.csv(3000) { row in
                let index = row - 2
                return "shared\(index < 1500 ? index / 250 * 250 + 249 - index % 250 : index + 1500)@x.example"
            }
            let importer = ContactImporter(database: database, rowsPerChunk: 250)
            async let a = importer.importCSV(.bytes(Array(first.utf8)), fileName: "a.csv", clientID: seed.clientID, templateID: seed.templateID)
            async let b = importer.importCSV(.bytes(Array(second.utf8)), fileName: "b.csv", clientID: seed.clientID, templateID: seed.templateID)
            let (one, two) = try await (a, b)
            #expect(one.imported + two.imported == 4500)
            #expect(one.skipped.count + two.skipped.count == 1500)
            #expect(one.skipped.allSatisfy { $0.reason == "already imported for this client (batch \(two.batchID))" })
            #expect(two.skipped.allSatisfy { $0.reason == "already imported for this client (batch \(one.batchID))" })
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contacts") == 4500)
            #expect(try await Seed.count(database, "SELECT COUNT(DISTINCT email_normalized) AS n FROM contacts") == 4500)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contact_batches WHERE status = 'imported'") == 2)
        }
    }

    @Test("two imports writing the same addresses at the same moment, in opposite orders, do not deadlock", arguments: DatabaseDialect.allCases)
    func oppositeOrders(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 0, generate: false)
            let writer = ImportBatchWriter(database: database, clientID: seed.clientID, clock: .system)
            let rows = (2..<3002).map { row in
                ContactRow(
                    rowNumber: row, firstName: "A", lastName: "B", email: "r\(row)@x.example", emailNormalized: "r\(row)@x.example",
                    companyName: "Acme", website: "", linkedinURL: "", industry: "", extra: [:])
            }
            for _ in 0..<3 {
                let one = try await writer.create(templateID: seed.templateID, fileName: "a.csv", userID: nil)
                let two = try await writer.create(templateID: seed.templateID, fileName: "b.csv", userID: nil)
                async let a = writer.insert(rows, batchID: one)
                async let b = writer.insert(rows.reversed(), batchID: two)
                let (first, second) = try await (a, b)
                #expect(first.imported + second.imported == rows.count)
                #expect(first.skipped.count + second.skipped.count == rows.count)
                try await writer.discard(batchID: one)
                try await writer.discard(batchID: two)
            }
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contacts") == 0)
        }
    }

    @Test("a batch still importing is not drafted; once imported it is", arguments: DatabaseDialect.allCases)
    func importingBatchIsNotReady(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 0, generate: false)
            let writer = ImportBatchWriter(database: database, clientID: seed.clientID, clock: .system)
            let batchID = try await writer.create(templateID: seed.templateID, fileName: "half.csv", userID: nil)
            let rows = (2..<7).map { row in
                ContactRow(
                    rowNumber: row, firstName: "A", lastName: "B", email: "r\(row)@x.example", emailNormalized: "r\(row)@x.example",
                    companyName: "Acme", website: "", linkedinURL: "", industry: "", extra: [:])
            }
            #expect(try await writer.insert(rows, batchID: batchID).imported == 5)
            do {
                _ = try await DraftGenerator(database: database).generate(batchID: batchID)
                Issue.record("an importing batch was drafted")
            } catch let error as ImportError {
                #expect(error.message.contains("still being imported"))
            }
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails") == 0)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contacts WHERE status = 'pending'") == 5)
            try await writer.finish(batchID: batchID, rowsRead: 5, imported: 5, skipped: [])
            #expect(try await DraftGenerator(database: database).generate(batchID: batchID).drafted == 5)
        }
    }
}
