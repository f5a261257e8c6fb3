import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// `greenlight sequencer show|set` and `greenlight export` against a fake Instantly: bad settings
/// are named and change nothing; a refused key or an account the key does not see is said plainly
/// before anything is saved; an export sends the approved emails once and says how many.
@Suite("CLI export commands", .timeLimit(.minutes(15)))
struct CLIExportTests {
    @Test("sequencer set checks values and the key first; export sends the approved emails once")
    func sequencerAndExport() async throws {
        try await FakeSequencer.run { fake, baseURL in
            try await GreenlightProcess.withFolder { cli in
                let key = try await cli.succeed(["secrets", "make-key"], database: false).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                var environment = ["GREENLIGHT_SECRET_KEY": key, "GREENLIGHT_INSTANTLY_BASE_URL": baseURL, "SEQUENCER_KEY": "wrong-key"]
                _ = try await cli.succeed(["client", "add", CLISmokeTests.demo + "/pack"])
                _ = try await cli.succeed(["template", "add", CLISmokeTests.demo + "/template.md", "--client", CLISmokeTests.client])
                _ = try await cli.succeed(
                    ["secrets", "set", "--client", CLISmokeTests.client, "--sequencer", "instantly", "--sequencer-key-env", "SEQUENCER_KEY"],
                    environment: environment)

                let set = ["sequencer", "set", "--client", CLISmokeTests.client]
                try await cli.fail(
                    set + ["--timezone", "Mars/Olympus"], saying: "timezone \"Mars/Olympus\" is not a time zone name", environment: environment)
                try await cli.fail(set + ["--export-hour", "24"], saying: "the export hour must be 0 to 23, got 24", environment: environment)
                try await cli.fail(
                    set + ["--days", "1,8"], saying: "days must be distinct weekdays 0 (Sunday) to 6 (Saturday)", environment: environment)
                try await cli.fail(
                    set + ["--from", "18:00", "--to", "09:00"], saying: "the sending window must end after it starts", environment: environment)
                try await cli.fail(
                    set + ["--accounts", "not-an-address"], saying: "sending account \"not-an-address\" is not an email address",
                    environment: environment)
                try await cli.fail(
                    set + ["--export-hour", "9"], saying: "nothing saved: the sequencer refused the API key (401)", environment: environment)

                environment["SEQUENCER_KEY"] = fake.key
                _ = try await cli.succeed(
                    ["secrets", "set", "--client", CLISmokeTests.client, "--sequencer-key-env", "SEQUENCER_KEY"], environment: environment)
                try await cli.fail(
                    set + ["--accounts", "someone@else.example"], saying: "has no sending account someone@else.example for this key",
                    environment: environment)
                let saved = try await cli.succeed(
                    set + [
                        "--accounts", "hannah@northwind.example", "--timezone", "America/New_York", "--export-hour", "9",
                        "--days", "1,2,3,4", "--from", "08:30", "--to", "16:00", "--activate",
                    ], environment: environment)
                #expect(
                    saved.stdout.contains("export daily at 09:00 America/New_York") && saved.stdout.contains("Mon Tue Wed Thu 08:30–16:00")
                        && saved.stdout.contains("started at once"), "\(saved)")
                #expect(
                    try await cli.succeed(["sequencer", "show", "--client", CLISmokeTests.client], environment: environment).stdout.contains(
                        "hannah@northwind.example"))

                // Import and draft, approve a few straight in the database, export.
                let csv = cli.folder.appendingPathComponent("contacts.csv")
                try Seed.csv(8, domain: "cli export").write(to: csv, atomically: true, encoding: .utf8)
                _ = try await cli.succeed(["import", csv.path, "--client", CLISmokeTests.client, "--template", CLISmokeTests.template])
                let database = try await Database.open(.sqlite(path: cli.database), logger: TestDatabase.logger)
                let audit = try await AuditLog(database: database).recent().filter { $0.action == "export settings saved" }
                #expect(
                    audit.count == 1 && audit[0].actor == "command line" && audit[0].details.contains("→ America/New_York")
                        && audit[0].details.contains("start campaigns at once no → yes"), "\(audit.map(\.details))")
                try await database.write { sql in
                    try await sql.raw(
                        "UPDATE generated_emails SET status = 'approved', reviewer_name = 'Sam', reviewed_at = \(bind: TimeSource.system.nowMillis() - 60_000) WHERE id <= 5"
                    ).run()
                }
                await database.close()
                let requestsBefore = fake.requests
                let dry = try await cli.succeed(["export", "--client", CLISmokeTests.client, "--dry-run"], environment: environment)
                #expect(
                    dry.stdout.contains("Northwind Ledger: a run now would send 5 emails")
                        && dry.stdout.contains("  Northwind Ledger - \(CLISmokeTests.template) - "), "\(dry)")
                #expect(fake.requests == requestsBefore && fake.receivedCounts.isEmpty, "a dry run asks the sequencer nothing")
                #expect(
                    try await cli.succeed(["export", "--resume"], environment: environment).stdout.contains("Northwind Ledger: nothing to resume"))
                #expect(fake.receivedCounts.isEmpty, "--resume claims nothing new")
                let exported = try await cli.succeed(["export", "--client", CLISmokeTests.client], environment: environment)
                #expect(exported.stdout.contains("Northwind Ledger: finished — 5 sent, 0 failed of 5 claimed"), "\(exported)")
                #expect(fake.receivedCounts.count == 5 && fake.receivedCounts.values.allSatisfy { $0 == 1 })
                #expect(fake.allCampaigns.first?.status == 1, "--activate starts the campaign")
                let again = try await cli.succeed(["export"], environment: environment)
                #expect(again.stdout.contains("Northwind Ledger: finished — 0 sent"), "\(again)")
                try await cli.fail(["export", "--client", "Nobody"], saying: "no client named \"Nobody\"", environment: environment)

                // The CSV for a hand upload: written, waiting, then confirmed.
                let reopened = try await Database.open(.sqlite(path: cli.database), logger: TestDatabase.logger)
                try await reopened.write { sql in
                    try await sql.raw(
                        "UPDATE generated_emails SET status = 'approved', reviewer_name = 'Sam', reviewed_at = \(bind: TimeSource.system.nowMillis() - 60_000) WHERE id IN (6, 7)"
                    ).run()
                }
                await reopened.close()
                let file = cli.folder.appendingPathComponent("leads.csv")
                let written = try await cli.succeed(["export", "--client", CLISmokeTests.client, "--csv", file.path], environment: environment)
                #expect(
                    written.stdout.contains("2 emails written to \(file.path)") && written.stdout.contains("greenlight export --confirm-csv"),
                    "\(written)")
                #expect(try String(contentsOf: file, encoding: .utf8).split(separator: "\r\n").count == 3, "a header and two leads")
                let run = try #require(written.stdout.split(separator: " ").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
                #expect(
                    try await cli.succeed(["export", "--confirm-csv", String(run)], environment: environment).stdout.contains(
                        "Run \(run): 2 emails marked sent."))
                try await cli.fail(["export", "--confirm-csv", String(run)], saying: "not waiting for an upload", environment: environment)
                try await cli.fail(["export", "--csv", file.path], saying: "--csv needs --client NAME", environment: environment)
            }
        }
    }

    @Test(
        "export --abandon ends a run that cannot finish: leads the sequencer does not hold approved again, said in one line; a second abandon is refused"
    )
    func abandon() async throws {
        try await FakeSequencer.run { fake, baseURL in
            try await GreenlightProcess.withFolder { cli in
                let key = try await cli.succeed(["secrets", "make-key"], database: false).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                let environment = ["GREENLIGHT_SECRET_KEY": key, "GREENLIGHT_INSTANTLY_BASE_URL": baseURL, "SEQUENCER_KEY": fake.key]
                _ = try await cli.succeed(["client", "add", CLISmokeTests.demo + "/pack"])
                _ = try await cli.succeed(["template", "add", CLISmokeTests.demo + "/template.md", "--client", CLISmokeTests.client])
                _ = try await cli.succeed(
                    ["secrets", "set", "--client", CLISmokeTests.client, "--sequencer", "instantly", "--sequencer-key-env", "SEQUENCER_KEY"],
                    environment: environment)
                let csv = cli.folder.appendingPathComponent("contacts.csv")
                try Seed.csv(4, domain: "cli abandon").write(to: csv, atomically: true, encoding: .utf8)
                _ = try await cli.succeed(["import", csv.path, "--client", CLISmokeTests.client, "--template", CLISmokeTests.template])
                let database = try await Database.open(.sqlite(path: cli.database), logger: TestDatabase.logger)
                try await database.write { sql in
                    try await sql.raw(
                        "UPDATE generated_emails SET status = 'approved', reviewer_name = 'Sam', reviewed_at = \(bind: TimeSource.system.nowMillis() - 60_000) WHERE id <= 3"
                    ).run()
                }
                let clientID = try #require(try await ClientRepository(database: database).all().first?.id)
                let run = try await ExportFixtures.strand(database, clientID: clientID, emailIDs: [1, 2, 3], campaignID: "cmp-deleted")
                await database.close()

                let abandoned = try await cli.succeed(["export", "--abandon", String(run)], environment: environment)
                #expect(
                    abandoned.stdout.contains(
                        "Run \(run) of \(CLISmokeTests.client) abandoned: 0 leads the sequencer holds marked sent, 3 emails approved again for the next run."
                    ), "\(abandoned)")
                try await cli.fail(
                    ["export", "--abandon", String(run)], saying: "is abandoned, not unfinished: nothing to abandon", environment: environment)
                let exported = try await cli.succeed(["export", "--client", CLISmokeTests.client], environment: environment)
                #expect(exported.stdout.contains("finished — 3 sent, 0 failed of 3 claimed"), "\(exported)")
                #expect(fake.receivedCounts.count == 3 && fake.receivedCounts.values.allSatisfy { $0 == 1 })
            }
        }
    }
}
