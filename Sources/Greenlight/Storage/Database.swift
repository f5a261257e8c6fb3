import Foundation
public import Logging
public import SQLKit

/// Greenlight's one SQL layer: reads and short write transactions over SQLite or PostgreSQL.
///
/// Every repository goes through ``read(_:)`` or ``write(_:)``; the dialect-specific parts
/// (connection handling, transaction statements) stay inside the drivers.
public final class Database: Sendable {
    public let dialect: DatabaseDialect
    public let location: DatabaseLocation
    private let driver: any DatabaseDriver

    init(location: DatabaseLocation, driver: any DatabaseDriver) {
        self.location = location
        self.dialect = driver.dialect
        self.driver = driver
    }

    /// Opens the database at `location`. Call ``close()`` when done.
    public static func open(_ location: DatabaseLocation, logger: Logger) async throws -> Database {
        switch location {
        case .sqlite(let path):
            return Database(location: location, driver: try await SQLiteDriver.open(path: path, logger: logger))
        case .postgres(let url):
            return Database(location: location, driver: try await PostgresDriver.open(url, logger: logger))
        }
    }

    /// Runs `body` with a connection for queries that need no transaction.
    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await driver.withReader(body)
    }

    /// Runs `body` on the writing connection without a transaction around it: for one statement that is
    /// atomic by itself (PostgreSQL's data-modifying `WITH`), saving the BEGIN and COMMIT round trips.
    public func autocommit<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await driver.withWriter(body)
    }

    /// Runs `body` inside one transaction: committed when it returns, rolled back when it throws.
    public func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await driver.withWriter { sql in
            try await sql.raw(SQLQueryString(dialect.beginStatement)).run()
            do {
                let result = try await body(sql)
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Checks that the database answers.
    public func ping() async throws {
        try await read { sql in try await sql.raw("SELECT 1 AS one").run() }
    }

    /// Closes every connection.
    public func close() async {
        await driver.close()
    }
}

/// One engine's way of lending connections.
protocol DatabaseDriver: Sendable {
    var dialect: DatabaseDialect { get }
    func withReader<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Lends the single connection that writes; the caller opens and closes the transaction.
    func withWriter<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    func close() async
}
