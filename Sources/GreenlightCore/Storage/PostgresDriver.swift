import Foundation
import Logging
import PostgresKit
import PostgresNIO
import SQLKit

/// PostgreSQL through postgres-nio's `PostgresClient` pool, which runs in a task owned by this driver.
final class PostgresDriver: DatabaseDriver {
    let dialect = DatabaseDialect.postgres
    private let client: PostgresClient
    private let runTask: Task<Void, Never>

    private init(client: PostgresClient, started: AsyncStream<Void>.Continuation) {
        self.client = client
        self.runTask = Task {
            started.finish()
            await client.run()
        }
    }

    static func open(_ url: PostgresURL, logger: Logger) async throws -> PostgresDriver {
        var configuration = PostgresClient.Configuration(
            host: url.host,
            port: url.port,
            username: url.username,
            password: url.password,
            database: url.database,
            tls: url.requireTLS ? .require(.clientDefault) : .disable
        )
        configuration.options.maximumConnections = 16
        // Wait until the pool's task is running before the first lease (postgres-nio warns otherwise).
        let (started, continuation) = AsyncStream<Void>.makeStream()
        let driver = PostgresDriver(client: PostgresClient(configuration: configuration, backgroundLogger: logger), started: continuation)
        for await _ in started {}
        await Task.yield()
        do {
            try await driver.withReader { sql in try await sql.raw("SELECT 1").run() }
        } catch {
            await driver.close()
            throw ConfigurationError(
                "cannot reach PostgreSQL at \(url.host):\(url.port)/\(url.database) as \(url.username): \(String(reflecting: error))")
        }
        return driver
    }

    func withReader<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in try await body(PostgresSQL(connection: connection)) }
    }

    func withWriter<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withReader(body)
    }

    func withPreparing<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in try await body(PreparingPostgresSQL(connection: connection)) }
    }

    /// `deadlock_detected` (SQLSTATE 40P01).
    func isDeadlock(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "40P01"
    }

    func close() async {
        runTask.cancel()
        _ = await runTask.value
    }
}
