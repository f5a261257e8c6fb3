import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// `Database.read(preparing:)` on PostgreSQL runs statements as named prepared statements, once
/// prepared per connection: every kind of value Greenlight binds goes through, the same text with a
/// NULL where a number was is a statement of its own, and a value it cannot bind is refused by name.
@Suite("Prepared statements")
struct PreparedStatementTests {
    @Test("PostgreSQL: statements are prepared once per connection and bind numbers, text, booleans, decimals and NULL")
    func prepared() async throws {
        try await TestDatabase.withPostgres { database in
            let statement: @Sendable (Int?, String) -> SQLQueryString = { number, text in
                "SELECT CAST(\(bind: number) AS BIGINT) AS n, CAST(\(bind: text) AS TEXT) || '!' AS s, CAST(\(bind: true) AS BOOLEAN) AS b, CAST(\(bind: 2.5) AS FLOAT8) * 2 AS d"
            }
            // One connection throughout, so its prepared statements can be listed.
            let statements = try await database.read(preparing: true) { sql in
                for round in 0..<3 {
                    let row = try await sql.raw(statement(41 + round, "hello")).first()
                    #expect(try row?.decode(column: "n", as: Int.self) == 41 + round)
                    #expect(try row?.decode(column: "s", as: String.self) == "hello!")
                    #expect(try row?.decode(column: "b", as: Bool.self) == true)
                    #expect(try row?.decode(column: "d", as: Double.self) == 5)
                }
                let null = try await sql.raw(statement(nil, "x")).first()
                #expect(try null?.decode(column: "n", as: Int?.self) == nil)
                return try await sql.raw("SELECT statement FROM pg_prepared_statements WHERE name LIKE \(bind: "greenlight_%")").all()
                    .map { try $0.decode(column: "statement", as: String.self) }
            }
            #expect(statements.filter { $0.contains("AS BIGINT) AS n") }.count == 2, "prepared once for a number and once for NULL: \(statements)")
            #expect(statements.contains { $0.contains("pg_prepared_statements") })

            await #expect(throws: StorageError.self) {
                try await database.read(preparing: true) { sql in try await sql.raw("SELECT \(bind: [1, 2]) AS list").run() }
            }
        }
    }
}
