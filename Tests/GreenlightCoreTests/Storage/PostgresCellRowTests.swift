import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// PostgreSQL rows come back as ``PostgresCellRow``, sent unnamed or prepared: the types Greenlight
/// reads decode straight from their cells, every other type or pairing still through postgres-kit,
/// with the same values and the same refusals as before.
@Suite("PostgreSQL rows")
struct PostgresCellRowTests {
    static let everyKind: SQLQueryString = """
        SELECT CAST(1 AS SMALLINT) AS i2, CAST(2 AS INTEGER) AS i4, CAST(3000000000 AS BIGINT) AS i8,
               CAST('plain' AS TEXT) AS t, CAST('vary' AS VARCHAR(9)) AS v, CAST('ab' AS CHAR(3)) AS c, CAST('nm' AS NAME) AS n,
               CAST('é ✓' AS TEXT) AS unicode, CAST('' AS TEXT) AS empty,
               TRUE AS yes, FALSE AS no, CAST(1.5 AS REAL) AS f4, CAST(-2.25 AS DOUBLE PRECISION) AS f8,
               CAST(NULL AS TEXT) AS null_text, CAST(NULL AS BIGINT) AS null_int, CAST(NULL AS BOOLEAN) AS null_bool, CAST(NULL AS FLOAT8) AS null_float,
               CAST(12.75 AS NUMERIC) AS decimal, CAST('{"a": 1}' AS JSONB) AS json, COUNT(*) AS counted
        """

    @Test("PostgreSQL: every kind of column decodes as before, sent unnamed and prepared")
    func everyKindOfColumn() async throws {
        try await TestDatabase.withPostgres { database in
            for preparing in [false, true] {
                let row = try await database.read(preparing: preparing) { sql in try await sql.raw(Self.everyKind).first() }
                let found = try #require(row)
                #expect(found is PostgresCellRow, "rows are decoded from their cells (preparing: \(preparing))")
                #expect(try found.decode(column: "i2", as: Int.self) == 1)
                #expect(try found.decode(column: "i4", as: Int.self) == 2)
                #expect(try found.decode(column: "i8", as: Int.self) == 3_000_000_000)
                #expect(try found.decode(column: "i8", as: Int?.self) == 3_000_000_000)
                #expect(try found.decode(column: "counted", as: Int.self) == 1)
                #expect(try found.decode(column: "t", as: String.self) == "plain")
                #expect(try found.decode(column: "v", as: String?.self) == "vary")
                #expect(try found.decode(column: "c", as: String.self) == "ab ")
                #expect(try found.decode(column: "n", as: String.self) == "nm")
                #expect(try found.decode(column: "unicode", as: String.self) == "é ✓")
                #expect(try found.decode(column: "empty", as: String.self) == "")
                #expect(try found.decode(column: "yes", as: Bool.self) == true)
                #expect(try found.decode(column: "no", as: Bool?.self) == false)
                #expect(try found.decode(column: "f4", as: Double.self) == 1.5)
                #expect(try found.decode(column: "f8", as: Double?.self) == -2.25)
                #expect(try found.decode(column: "null_text", as: String?.self) == nil)
                #expect(try found.decode(column: "null_int", as: Int?.self) == nil)
                #expect(try found.decode(column: "null_bool", as: Bool?.self) == nil)
                #expect(try found.decode(column: "null_float", as: Double?.self) == nil)
                #expect(try found.decodeNil(column: "null_text"))
                #expect(try !found.decodeNil(column: "t"))
                #expect(try found.decodeNil(column: "no_such_column"))
                #expect(found.contains(column: "json") && !found.contains(column: "no_such_column"))
                #expect(found.allColumns.first == "i2" && found.allColumns.count == 20)
                // Through postgres-kit, as before: its workaround for numeric as Double, JSONB as text,
                // an integer as a Swift type of another width.
                #expect(try found.decode(column: "decimal", as: Double.self) == 12.75)
                #expect(try found.decode(column: "json", as: String.self) == #"{"a": 1}"#)
                #expect(try found.decode(column: "i4", as: Int32.self) == 2)
                // Refused as before: a NULL where a value must be, text as a number, a missing column.
                #expect(throws: (any Error).self) { try found.decode(column: "null_int", as: Int.self) }
                #expect(throws: (any Error).self) { try found.decode(column: "t", as: Int.self) }
                #expect(throws: (any Error).self) { try found.decode(column: "no_such_column", as: String.self) }
            }
        }
    }

    @Test("PostgreSQL: a statement binding a value of another type is sent through postgres-kit whole")
    func otherBinds() async throws {
        try await TestDatabase.withPostgres { database in
            let row = try await database.read { sql in
                try await sql.raw("SELECT cardinality(\(bind: [4, 5, 6])) AS n, CAST(\(bind: "x") AS TEXT) AS s").first()
            }
            #expect(try row?.decode(column: "n", as: Int.self) == 3)
            #expect(try row?.decode(column: "s", as: String.self) == "x")
        }
    }
}
