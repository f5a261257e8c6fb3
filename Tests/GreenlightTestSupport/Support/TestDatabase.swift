import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import Logging
import SQLKit

/// Fresh, migrated databases for tests: an SQLite file in a temporary folder, or a new database on the
/// PostgreSQL server named by `GREENLIGHT_TEST_POSTGRES` (started by `Tests/run`). Each is removed afterwards.
package enum TestDatabase {
    package static let paths = ResourcePaths(
        root: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path)

    package static let logger: Logger = {
        var logger = Logger(label: "greenlight-tests")
        logger.logLevel = .warning
        return logger
    }()

    package struct MissingPostgres: Error, CustomStringConvertible {
        package var description: String {
            "GREENLIGHT_TEST_POSTGRES is not set: the PostgreSQL half of the tests needs a server. Run `Tests/run`, which starts a throwaway cluster, or set it to postgres://user@host:port/postgres."
        }
    }

    package static func with<T: Sendable>(_ dialect: DatabaseDialect, _ body: (Database) async throws -> T) async throws -> T {
        switch dialect {
        case .sqlite: return try await withSQLite(body)
        case .postgres: return try await withPostgres(body)
        }
    }

    /// A fresh database with no migrations applied, for tests of the migrations themselves.
    package static func withUnmigrated<T: Sendable>(_ dialect: DatabaseDialect, _ body: (Database) async throws -> T) async throws -> T {
        switch dialect {
        case .sqlite: return try await withSQLite(migrated: false, body)
        case .postgres: return try await withPostgres(migrated: false, body)
        }
    }

    static func withSQLite<T: Sendable>(migrated: Bool = true, _ body: (Database) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("greenlight-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = DatabaseLocation.sqlite(path: folder.appendingPathComponent("test.sqlite").path)
        let database =
            migrated ? try await Database.openMigrated(location, paths: paths, logger: logger) : try await Database.open(location, logger: logger)
        do {
            let result = try await body(database)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }

    package static func withPostgres<T: Sendable>(migrated: Bool = true, _ body: (Database) async throws -> T) async throws -> T {
        guard let base = ProcessInfo.processInfo.environment["GREENLIGHT_TEST_POSTGRES"], !base.isEmpty else { throw MissingPostgres() }
        guard case .postgres(let url) = try DatabaseLocation(parsing: base) else { throw MissingPostgres() }
        let name = "gl_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        let admin = try await Database.open(.postgres(url), logger: logger)
        try await admin.read { sql in try await sql.raw("CREATE DATABASE \(ident: name)").run() }
        var testURL = url
        testURL.database = name
        do {
            let database =
                migrated
                ? try await Database.openMigrated(.postgres(testURL), paths: paths, logger: logger)
                : try await Database.open(.postgres(testURL), logger: logger)
            do {
                let result = try await body(database)
                await database.close()
                try await admin.read { sql in try await sql.raw("DROP DATABASE \(ident: name) WITH (FORCE)").run() }
                await admin.close()
                return result
            } catch {
                await database.close()
                throw error
            }
        } catch {
            try? await admin.read { sql in try await sql.raw("DROP DATABASE \(ident: name) WITH (FORCE)").run() }
            await admin.close()
            throw error
        }
    }
}
