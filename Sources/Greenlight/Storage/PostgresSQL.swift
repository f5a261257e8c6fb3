import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit

/// A PostgreSQL connection as SQLKit's database, for statements sent unnamed (parsed and planned
/// each time, as postgres-kit's own does): binds of the types Greenlight's statements bind are
/// encoded as ``PreparingPostgresSQL`` encodes them, rows decoded by ``PostgresCellRow``. A statement
/// binding any other type goes through postgres-kit whole.
struct PostgresSQL: SQLDatabase {
    let connection: PostgresConnection

    var logger: Logger { connection.logger }
    var eventLoop: any EventLoop { connection.eventLoop }
    var dialect: any SQLDialect { PostgresDialect() }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await self.execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        let (sql, binds) = serialize(query)
        var bindings = PostgresBindings(capacity: binds.count)
        var types: [PostgresDataType] = []
        do {
            for bind in binds { try PreparingPostgresSQL.append(bind, to: &bindings, types: &types) }
        } catch {
            return try await connection.sql().execute(sql: query, onRow)
        }
        logger.debug("Executing query", metadata: ["sql": .string(sql)])
        _ = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger) { row in
            onRow(PostgresCellRow(row))
        }.get()
    }
}
