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
struct PreparingPostgresSQL: SQLDatabase {
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
        for bind in binds { try Self.append(bind, to: &bindings, types: &types) }
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

    /// Binds one of the values Greenlight's statements bind, with its type (nil: the server infers it
    /// from the statement, as for unnamed statements).
    static func append(_ bind: any Encodable & Sendable, to bindings: inout PostgresBindings, types: inout [PostgresDataType]) throws {
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

/// Whether an optional value is nil, asked of a value whose type is not known statically.
private protocol NoneCheckable {
    var isNone: Bool { get }
}

extension Optional: NoneCheckable {
    fileprivate var isNone: Bool { self == nil }
}
