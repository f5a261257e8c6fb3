import Foundation
public import Logging
import SQLKit

/// Applies the numbered SQL files of `Migrations/<dialect>/` that the database has not seen yet.
///
/// Files are named `NNNN_description.sql`; each is split into single statements (neither
/// engine runs several statements from one query) and applied in one transaction together
/// with its row in `schema_migrations`. A file with the line `-- migrate: foreign keys off` runs with
/// SQLite's foreign-key enforcement off (a table rebuild needs it), and every reference is checked
/// before it commits.
public struct Migrator: Sendable {
    /// The line that asks for a migration to run with SQLite's foreign-key enforcement off.
    public static let foreignKeysOffMarker = "-- migrate: foreign keys off"

    /// One migration file.
    public struct Migration: Sendable, Equatable {
        public let version: Int
        public let name: String
        public let statements: [String]
        /// Whether the file carries ``Migrator/foreignKeysOffMarker``.
        public let withoutForeignKeys: Bool
    }

    public let directory: String
    /// When a migration is recorded as applied.
    let clock: TimeSource

    /// - Parameter migrationsRoot: the `Migrations` folder holding one subfolder per dialect.
    public init(migrationsRoot: String, dialect: DatabaseDialect, clock: TimeSource = .system) {
        self.directory = migrationsRoot + "/" + dialect.rawValue
        self.clock = clock
    }

    /// The migrations found on disk, in version order.
    public func migrations() throws -> [Migration] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".sql") }.sorted()
        } catch {
            throw ConfigurationError("cannot read the migrations folder \(directory): \(error.localizedDescription)")
        }
        var seen = Set<Int>()
        return try files.map { file in
            guard let version = Int(file.prefix(while: \.isNumber)), version > 0 else {
                throw ConfigurationError("migration file \(file) does not start with a version number (NNNN_name.sql)")
            }
            guard seen.insert(version).inserted else {
                throw ConfigurationError("two migration files share version \(version) in \(directory)")
            }
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            let name = String(file.dropLast(4).drop(while: { $0.isNumber || $0 == "_" }))
            let withoutForeignKeys = text.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == Self.foreignKeysOffMarker }
            return Migration(version: version, name: name, statements: Self.statements(in: text), withoutForeignKeys: withoutForeignKeys)
        }
    }

    /// Applies what is missing; returns the versions applied now.
    /// - Parameter target: stop after this version (tests use it to build a database as an older release left it).
    @discardableResult
    public func migrate(_ database: Database, upTo target: Int? = nil, logger: Logger) async throws -> [Int] {
        let all = try migrations().filter { $0.version <= target ?? Int.max }
        try await database.write { sql in
            // Two PostgreSQL sessions creating the same table at once can both pass IF NOT EXISTS.
            try await Self.takeTurns(sql)
            try await sql.raw(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """
            ).run()
        }
        let applied = try await database.read { sql in
            try await sql.raw("SELECT version FROM schema_migrations").all().map { try $0.decode(column: "version", as: Int.self) }
        }
        var done: [Int] = []
        for migration in all where !applied.contains(migration.version) {
            // Instances starting together on one PostgreSQL take turns (a lock held to the end of each
            // migration's transaction), and each looks again once it holds it: one applies the migration,
            // the others find it applied. SQLite's write transactions take turns already.
            let apply: @Sendable (any SQLDatabase) async throws -> Bool = { sql in
                try await Self.takeTurns(sql)
                guard try await sql.raw("SELECT version FROM schema_migrations WHERE version = \(bind: migration.version)").first() == nil else {
                    return false
                }
                for statement in migration.statements {
                    try await sql.raw(SQLQueryString(statement)).run()
                }
                try await sql.raw(
                    """
                    INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: clock.nowMillis()))
                    """
                ).run()
                return true
            }
            let appliedNow = migration.withoutForeignKeys ? try await database.writeWithoutForeignKeys(apply) : try await database.write(apply)
            guard appliedNow else { continue }
            logger.info("applied migration \(migration.version) \(migration.name)")
            done.append(migration.version)
        }
        return done
    }

    /// The advisory lock migrations take on PostgreSQL ("GLMIGRAT" read as a number).
    static let lockKey: Int64 = 0x474C_4D49_4752_4154

    /// Waits for the migration lock, held to the end of the caller's transaction (PostgreSQL only).
    static func takeTurns(_ sql: any SQLDatabase) async throws {
        guard DatabaseDialect.of(sql) == .postgres else { return }
        try await sql.raw("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(\(bind: lockKey))) AS waited").run()
    }

    /// Splits a file into statements at semicolons that end a line; `--` comment lines are dropped.
    /// A trigger body (a line ending in `BEGIN` up to the line `END;`) and a dollar-quoted function
    /// body (`$$ … $$`) stay one statement.
    public static func statements(in text: String) -> [String] {
        var statements: [String] = []
        var current: [Substring] = []
        var inBlock = false
        var inDollarQuote = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !inDollarQuote && (trimmed.hasPrefix("--") || (trimmed.isEmpty && current.isEmpty)) { continue }
            current.append(line)
            if line.components(separatedBy: "$$").count % 2 == 0 { inDollarQuote.toggle() }
            if inDollarQuote { continue }
            if trimmed.uppercased().hasSuffix(" BEGIN") { inBlock = true }
            if inBlock {
                if trimmed.uppercased() == "END;" { inBlock = false } else { continue }
            }
            if trimmed.hasSuffix(";") {
                var statement = current.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                statement.removeLast()
                statements.append(statement)
                current = []
            }
        }
        let rest = current.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { statements.append(rest) }
        return statements
    }
}
