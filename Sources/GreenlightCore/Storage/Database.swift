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

    /// Runs `body` with a connection for queries that need no transaction; with `preparing`, PostgreSQL
    /// prepares each statement once per connection (``PreparingPostgresSQL``): for the few statements
    /// of every request, whose texts do not vary with the data.
    public func read<T: Sendable>(preparing: Bool, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if preparing, let postgres = driver as? PostgresDriver { return try await postgres.withPreparing(body) }
        return try await driver.withReader(body)
    }

    /// Runs `body` on the writing connection without a transaction around it: for one statement that is
    /// atomic by itself (PostgreSQL's data-modifying `WITH`), saving the BEGIN and COMMIT round trips.
    /// `preparing` as for ``read(preparing:_:)``.
    public func autocommit<T: Sendable>(preparing: Bool = false, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await retryingDeadlocks {
            if preparing, let postgres = driver as? PostgresDriver { return try await postgres.withPreparing(body) }
            return try await driver.withWriter(body)
        }
    }

    /// Runs `body` inside one transaction: committed when it returns, rolled back when it throws.
    /// A transaction PostgreSQL ends as a deadlock's victim is run again (its work was rolled back).
    public func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await retryingDeadlocks {
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
    }

    /// How many times a deadlock's victim is run in all.
    static let deadlockAttempts = 3

    /// Runs `attempt` again when PostgreSQL chose it as a deadlock's victim: the rollup's counters are
    /// shared rows, and two transactions that touch them in different orders (an export marking
    /// emails sent while reviewers decide) can each wait for the other; PostgreSQL aborts one, which
    /// changed nothing and may simply run again.
    private func retryingDeadlocks<T: Sendable>(_ attempt: () async throws -> T) async throws -> T {
        var attempts = 1
        while true {
            do {
                return try await attempt()
            } catch  where attempts < Self.deadlockAttempts && driver.isDeadlock(error) {
                attempts += 1
            }
        }
    }

    /// Runs `body` in one transaction with SQLite's foreign-key enforcement off, for a migration that
    /// rebuilds a table (SQLite's documented way to change a constraint: create the new table, copy,
    /// drop the old one, rename). Before committing, `PRAGMA foreign_key_check` must find no broken
    /// reference, else the transaction rolls back. Enforcement is on again afterwards, whatever happens.
    /// On PostgreSQL this is ``write(_:)``.
    func writeWithoutForeignKeys<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        guard dialect == .sqlite else { return try await write(body) }
        return try await driver.withWriter { sql in
            // A no-op inside a transaction, so it comes before BEGIN.
            try await sql.raw("PRAGMA foreign_keys = OFF").run()
            do {
                try await sql.raw(SQLQueryString(dialect.beginStatement)).run()
                let result: T
                do {
                    result = try await body(sql)
                    let broken = try await sql.raw("PRAGMA foreign_key_check").all()
                    if !broken.isEmpty {
                        throw StorageError("the migration left \(broken.count) broken foreign-key references")
                    }
                    try await sql.raw("COMMIT").run()
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
                try await sql.raw("PRAGMA foreign_keys = ON").run()
                return result
            } catch {
                try? await sql.raw("PRAGMA foreign_keys = ON").run()
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
    /// Whether `error` says the database aborted the transaction to break a deadlock.
    func isDeadlock(_ error: any Error) -> Bool
    func close() async
}
