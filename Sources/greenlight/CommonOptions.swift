import ArgumentParser
import Foundation
import Logging
import GreenlightCore
import GreenlightWork
import GreenlightWeb

/// Options every command that touches the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "postgres://user:pass@host:port/db, or an SQLite file path. Default: $DATABASE_URL, else data/greenlight.sqlite.")
    var database: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "notice"

    func logger() throws -> Logger {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level \(logLevel) is not one of trace, debug, info, notice, warning, error, critical")
        }
        var logger = Logger(label: "greenlight")
        logger.logLevel = level
        return logger
    }

    /// Opens (and migrates) the database, runs `body`, and closes it whatever happens.
    func withDatabase<T: Sendable>(_ body: (Database, ResourcePaths, Logger) async throws -> T) async throws -> T {
        let logger = try logger()
        let paths = try ResourcePaths.locate()
        let location = try DatabaseLocation.resolve(option: database)
        let db = try await Database.openMigrated(location, paths: paths, logger: logger)
        do {
            let result = try await body(db, paths, logger)
            await db.close()
            return result
        } catch {
            await db.close()
            throw error
        }
    }
}

/// Finds a client by name or fails with the list of names that exist.
func requireClient(_ name: String, in database: Database) async throws -> ClientRecord {
    let clients = ClientRepository(database: database)
    if let client = try await clients.find(name: name) { return client }
    let names = try await clients.all().map(\.name)
    throw ValidationError(
        "no client named \"\(name)\""
            + (names.isEmpty ? " (there is no client yet: add one with `greenlight client add DIR`)" : "; clients: \(names.joined(separator: ", "))"))
}
