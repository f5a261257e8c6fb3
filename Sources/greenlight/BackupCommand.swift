import ArgumentParser
import Foundation
import Logging
import SQLKit
import GreenlightCore

/// `greenlight backup FILE`: a consistent copy of the SQLite database, taken while the app serves it
/// (`VACUUM INTO`: one read transaction, so the copy is the database at one instant, and compacted).
/// It never overwrites a file. PostgreSQL is copied with its own tools (`pg_dump`), as the README says.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the SQLite database to a new file, consistently, while the app serves it.")

    @Argument(help: "The new file the copy is written to.") var file: String
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let location = try DatabaseLocation.resolve(option: options.database)
        guard case .sqlite(let path) = location else {
            throw ValidationError(
                "greenlight backup copies SQLite databases; back PostgreSQL up with pg_dump --format=custom --file=FILE DATABASE_URL (see the README's Backups)"
            )
        }
        guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("there is no database at \(path) to back up") }
        guard !FileManager.default.fileExists(atPath: file) else {
            throw ValidationError("\(file) already exists: a backup never overwrites a file, name a new one")
        }
        let database = try await Database.open(location, logger: try options.logger())
        do {
            // VACUUM runs outside a transaction; it reads the database in one, so the copy is consistent.
            try await database.autocommit { sql in try await sql.raw("VACUUM INTO \(bind: file)").run() }
            await database.close()
        } catch {
            await database.close()
            throw error
        }
        let report = try await BackupReport.read(file)
        print("Backed up \(path) to \(file): \(report.summary).")
    }
}

/// `greenlight restore-check FILE`: whether a backup can be restored — read from a copy, so the backup
/// itself is never touched: SQLite's integrity check, its schema version against this build's, and
/// how many rows its main tables hold. Exits non-zero when it is not a sound Greenlight database.
struct RestoreCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore-check", abstract: "Check an SQLite backup: integrity, schema version and row counts, without changing it.")

    @Argument(help: "The backup to check.") var file: String

    func run() async throws {
        guard FileManager.default.fileExists(atPath: file) else { throw ValidationError("there is no file at \(file)") }
        let report = try await BackupReport.read(file)
        let latest = try Migrator(migrationsRoot: try ResourcePaths.locate().migrations, dialect: .sqlite).migrations().map(\.version).max() ?? 0
        print("\(file): \(report.summary).")
        for (table, count) in report.counts { print("  \(table): \(count)") }
        if report.version < latest {
            print("Its schema is older than this build's (\(latest)): the app migrates it when it starts on it.")
        } else if report.version > latest {
            throw ValidationError(
                "its schema version \(report.version) is newer than this build's (\(latest)): restore it with the build that made it")
        }
        guard report.integrity == "ok" else { throw ValidationError("SQLite's integrity check failed: \(report.integrity)") }
    }
}

/// What a backup holds, read from a temporary copy of it.
struct BackupReport {
    static let tables = [
        "clients", "users", "templates", "contacts", "generated_emails", "review_events", "export_runs", "outcome_events", "suppressions",
        "audit_log",
    ]

    var version: Int
    var integrity: String
    var counts: [(String, Int)]
    var bytes: Int

    var summary: String {
        let emails = counts.first { $0.0 == "generated_emails" }?.1 ?? 0
        return "schema version \(version), integrity \(integrity), \(emails) emails, \(bytes) bytes"
    }

    static func read(_ file: String) async throws -> BackupReport {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("greenlight-check-\(UUID().uuidString).sqlite").path
        try FileManager.default.copyItem(atPath: file, toPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let bytes = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
        let database: Database
        do {
            database = try await Database.open(.sqlite(path: copy), logger: .init(label: "greenlight-restore-check"))
        } catch {
            throw ValidationError("\(file) is not an SQLite database: \(error)")
        }
        do {
            let report = try await database.read { sql -> BackupReport in
                guard
                    try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").first() != nil
                else { throw ValidationError("\(file) is not a Greenlight database (it has no schema_migrations table)") }
                let version =
                    try await sql.raw("SELECT MAX(version) AS v FROM schema_migrations").first()?.decode(column: "v", as: Int?.self) ?? 0
                let integrity =
                    try await sql.raw("PRAGMA integrity_check").all().map { try $0.decode(column: "integrity_check", as: String.self) }
                    .joined(separator: "; ")
                var counts: [(String, Int)] = []
                for table in tables
                where try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = \(bind: table)").first() != nil {
                    // `table` is one of the fixed names above.
                    counts.append(
                        (table, try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? 0))
                }
                return BackupReport(version: version, integrity: integrity, counts: counts, bytes: bytes)
            }
            await database.close()
            return report
        } catch {
            await database.close()
            throw error
        }
    }
}
