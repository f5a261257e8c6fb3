import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit

/// A PostgreSQL connection that runs each statement as a named prepared statement: parsed, analysed
/// and planned on the first use per connection, then only bound and executed. For the statements of
/// every request (the signed-in session, a decision), where parsing and planning were a fifth of
/// PostgreSQL's work under load. Each distinct text stays prepared for the connection's life, so
/// only statements with few distinct texts come this way (``Database/read(preparing:_:)``).
///
/// postgres-nio names a prepared statement by its type; here the name and text of the statement at
/// hand ride in a task-local value that the type's static requirements read while it is sent.
struct PreparingPostgresSQL: PostgresConnectionSQL {
    let connection: PostgresConnection

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        let (bindings, types) = try Self.bindings(binds)
        var hasher = Hasher()
        hasher.combine(sql)
        hasher.combine(types.map(\.rawValue))
        let text = Statement.Text(name: "greenlight_" + String(UInt(bitPattern: hasher.finalize()), radix: 36), sql: sql, types: types)
        try await Statement.$text.withValue(text) {
            for try await row in try await connection.execute(Statement(bindings: bindings), logger: logger) {
                onRow(PostgresCellRow(row))
            }
        }
    }

    /// The statement at hand, as postgres-nio's prepared-statement type sees it.
    struct Statement: PostgresPreparedStatement {
        struct Text: Sendable {
            var name: String
            var sql: String
            var types: [PostgresDataType]
        }

        @TaskLocal static var text = Text(name: "", sql: "", types: [])
        static var name: String { text.name }
        static var sql: String { text.sql }
        static var bindingDataTypes: [PostgresDataType] { text.types }

        let bindings: PostgresBindings

        func makeBindings() throws -> PostgresBindings { bindings }
        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }
}
