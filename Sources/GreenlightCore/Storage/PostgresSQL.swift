import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit

/// A PostgreSQL connection as SQLKit's database, for statements sent unnamed (parsed and planned
/// each time, as postgres-kit's own does): binds of the types Greenlight's statements bind are
/// encoded directly (``PostgresConnectionSQL/bindings(_:)``), rows decoded by ``PostgresCellRow``.
/// A statement binding any other type goes through postgres-kit whole.
struct PostgresSQL: PostgresConnectionSQL {
    let connection: PostgresConnection

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        guard let (bindings, _) = try? Self.bindings(binds) else {
            return try await connection.sql().execute(sql: query, onRow)
        }
        logger.debug("Executing query", metadata: ["sql": .string(sql)])
        _ = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger) { row in
            onRow(PostgresCellRow(row))
        }.get()
    }
}

/// What Greenlight's two ways of sending statements on one PostgreSQL connection share: SQLKit's
/// requirements, and the binds they encode themselves.
protocol PostgresConnectionSQL: SQLDatabase {
    var connection: PostgresConnection { get }
}

extension PostgresConnectionSQL {
    var logger: Logger { connection.logger }
    var eventLoop: any EventLoop { connection.eventLoop }
    var dialect: any SQLDialect { PostgresDialect() }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await self.execute(sql: query, onRow) }
    }

    /// The binds of Greenlight's statements with their types: Int, String, Bool, Double and NULL
    /// (typed `.null`, so the server infers its type from the statement, as for postgres-kit's).
    /// Throws for any other type; ``PostgresSQL`` then sends the statement through postgres-kit.
    static func bindings(_ binds: [any Encodable & Sendable]) throws -> (PostgresBindings, [PostgresDataType]) {
        var bindings = PostgresBindings(capacity: binds.count)
        var types: [PostgresDataType] = []
        for bind in binds {
            switch bind {
            case let value as Int:
                bindings.append(value)
                types.append(.int8)
            case let value as String:
                bindings.append(value)
                types.append(.text)
            case let value as Bool:
                bindings.append(value)
                types.append(.bool)
            case let value as Double:
                bindings.append(value)
                types.append(.float8)
            default:
                guard (bind as? any NoneCheckable)?.isNone == true else {
                    throw StorageError("a prepared statement cannot bind a value of type \(type(of: bind))")
                }
                bindings.appendNull()
                types.append(.null)
            }
        }
        return (bindings, types)
    }
}

/// Whether an optional value is nil, asked of a value whose type is not known statically.
private protocol NoneCheckable {
    var isNone: Bool { get }
}

extension Optional: NoneCheckable {
    fileprivate var isNone: Bool { self == nil }
}
