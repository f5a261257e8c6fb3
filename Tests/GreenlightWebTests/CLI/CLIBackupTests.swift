import Foundation
@testable import GreenlightCore
@testable import GreenlightWork
import SQLKit
import Testing
import GreenlightTestSupport

/// `greenlight backup FILE` and `greenlight restore-check FILE`, the built binary: a copy taken while
/// another connection keeps writing is a sound Greenlight database with every email; nothing is
/// overwritten; what is not an SQLite file, not a Greenlight database, or PostgreSQL is named.
@Suite("CLI: backup and restore-check")
struct CLIBackupTests {
    @Test("a backup taken while the database is written is consistent; refusals name the problem")
    func backupAndCheck() async throws {
        try await GreenlightProcess.withFolder { cli in
            _ = try await cli.succeed(["client", "add", CLISmokeTests.demo + "/pack"])
            _ = try await cli.succeed(["template", "add", CLISmokeTests.demo + "/template.md", "--client", CLISmokeTests.client])
            let csv = cli.folder.appendingPathComponent("contacts.csv")
            try Seed.csv(5, domain: "backup").write(to: csv, atomically: true, encoding: .utf8)
            _ = try await cli.succeed(["import", csv.path, "--client", CLISmokeTests.client, "--template", CLISmokeTests.template])

            // Another connection writes all along, as a serving app would.
            let database = try await Database.open(.sqlite(path: cli.database), logger: TestDatabase.logger)
            let writer = Task {
                for index in 0..<200 {
                    try await database.write { sql in
                        try await AuditLog.append(sql, userID: nil, actorName: "writer", action: "test", target: "row \(index)", at: index)
                    }
                }
            }
            let copy = cli.folder.appendingPathComponent("copy.sqlite").path
            let backup = try await cli.succeed(["backup", copy])
            try await writer.value
            await database.close()
            #expect(backup.stdout.contains("Backed up \(cli.database) to \(copy): schema version"), "\(backup)")

            let check = try await cli.succeed(["restore-check", copy], database: false)
            #expect(check.stdout.contains("integrity ok, 5 emails") && check.stdout.contains("  generated_emails: 5"), "\(check)")
            #expect(check.stdout.contains("  clients: 1"))

            try await cli.fail(["backup", copy], saying: "already exists: a backup never overwrites a file")
            let junk = cli.folder.appendingPathComponent("junk.sqlite").path
            try "not a database at all".write(toFile: junk, atomically: true, encoding: .utf8)
            try await cli.fail(["restore-check", junk], saying: "is not an SQLite database", database: false)
            let empty = try await Database.open(.sqlite(path: cli.folder.appendingPathComponent("other.sqlite").path), logger: TestDatabase.logger)
            try await empty.write { sql in try await sql.raw("CREATE TABLE things (id INTEGER PRIMARY KEY)").run() }
            await empty.close()
            try await cli.fail(
                ["restore-check", cli.folder.appendingPathComponent("other.sqlite").path], saying: "is not a Greenlight database", database: false)
            try await cli.fail(
                ["backup", cli.folder.appendingPathComponent("pg.dump").path, "--database", "postgres://greenlight@127.0.0.1:9/none"],
                saying: "back PostgreSQL up with pg_dump", database: false)
        }
    }
}
