import Foundation
import SQLKit

/// How the database will run a query, as its own `EXPLAIN` prints it: SQLite's `EXPLAIN QUERY PLAN`
/// lines, PostgreSQL's `EXPLAIN` (optionally `ANALYZE`, which runs the query) text. For checking that
/// the queue's queries use their indexes, in `greenlight explain` and in tests.
public enum QueryPlan {
    public static func lines(of query: SQLQueryString, in database: Database, analyze: Bool = false) async throws -> [String] {
        switch database.dialect {
        case .sqlite:
            let rows = try await database.read { sql in try await sql.raw("EXPLAIN QUERY PLAN " + query).all() }
            return try rows.map { try $0.decode(column: "detail", as: String.self) }
        case .postgres:
            let prefix: SQLQueryString = analyze ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN "
            let rows = try await database.read { sql in try await sql.raw(prefix + query).all() }
            return try rows.map { try $0.decode(column: "QUERY PLAN", as: String.self) }
        }
    }
}
