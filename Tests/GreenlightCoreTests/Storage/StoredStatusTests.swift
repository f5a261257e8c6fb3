import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import SQLKit
import Testing
import GreenlightTestSupport

@Suite("Statuses kept as text")
struct StoredStatusTests {
    @Test(
        "each status list is the one its partial index was written with, and selects what it names",
        arguments: DatabaseDialect.allCases)
    func lists(_ dialect: DatabaseDialect) async throws {
        // The planner uses a partial index only when the query's list is the index's own text.
        let migrations = try FileManager.default.contentsOfDirectory(atPath: TestDatabase.paths.migrations + "/" + dialect.rawValue)
            .map { try String(contentsOfFile: TestDatabase.paths.migrations + "/\(dialect.rawValue)/" + $0, encoding: .utf8) }
            .joined()
        #expect(migrations.contains("WHERE status IN \(ExportItemStatus.openSQL)"))
        #expect(migrations.contains("status IN \(ReviewStatus.awaitingSQL)"))
        try await TestDatabase.with(dialect) { database in
            let statuses = ExportItemStatus.allCases.map { "SELECT '\($0.rawValue)' AS status" }.joined(separator: " UNION ALL ")
            let open = try await database.read { sql in
                try await sql.raw(
                    "SELECT status FROM (\(unsafeRaw: statuses)) s WHERE status IN \(unsafeRaw: ExportItemStatus.openSQL) ORDER BY status"
                )
                .all().map { try $0.decode(status: "status", as: ExportItemStatus.self) }
            }
            #expect(open == ExportItemStatus.open)
        }
    }

    @Test("a status the enum does not know is an error naming the column and the value", arguments: DatabaseDialect.allCases)
    func unknown(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let row = try #require(try await database.read { sql in try await sql.raw("SELECT 'shipped' AS status").first() })
            #expect {
                try row.decode(status: "status", as: BatchStatus.self)
            } throws: { error in
                "\(error)" == "status holds \"shipped\", which is not a BatchStatus"
            }
        }
    }
}
