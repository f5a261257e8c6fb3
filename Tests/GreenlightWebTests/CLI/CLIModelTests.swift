import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// `greenlight model budget|spend`, and a wrong model setting stopping `import` with the variable's
/// name before anything is drafted.
@Suite("CLI model commands", .timeLimit(.minutes(15)))
struct CLIModelTests {
    @Test("budgets shown, set and refused; spend with no call; a wrong GREENLIGHT_LLM_* named")
    func model() async throws {
        try await GreenlightProcess.withFolder { cli in
            _ = try await cli.succeed(["client", "add", CLISmokeTests.demo + "/pack"])
            _ = try await cli.succeed(["template", "add", CLISmokeTests.demo + "/template.md", "--client", CLISmokeTests.client])
            let budget = ["model", "budget", "--client", CLISmokeTests.client]
            #expect(try await cli.succeed(budget).stdout.contains("Northwind Ledger: model budget no limit an hour, no limit a day"))
            #expect(try await cli.succeed(budget + ["--hourly", "5", "--daily", "$50"]).stdout.contains("model budget $5.00 an hour, $50.00 a day"))
            try await cli.fail(budget + ["--hourly", "lots"], saying: "the hourly budget: \"lots\" is not a dollar amount")
            #expect(try await cli.succeed(budget + ["--daily", "none"]).stdout.contains("$5.00 an hour, no limit a day"))
            #expect(try await cli.succeed(["model", "spend", "--client", CLISmokeTests.client]).stdout.contains("no model call in the last 7 days"))
            try await cli.fail(["model", "spend", "--client", "Nobody"], saying: "no client named \"Nobody\"")

            let csv = cli.folder.appendingPathComponent("contacts.csv")
            try Seed.csv(3, domain: "cli model").write(to: csv, atomically: true, encoding: .utf8)
            try await cli.fail(
                ["import", csv.path, "--client", CLISmokeTests.client, "--template", CLISmokeTests.template],
                saying: "GREENLIGHT_LLM_MODEL_SMALL is not set", environment: ["GREENLIGHT_LLM_BASE_URL": "http://127.0.0.1:9/v1"])
            let database = try await Database.open(.sqlite(path: cli.database), logger: TestDatabase.logger)
            let batches = try await database.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM contact_batches").first()?.decode(column: "n", as: Int.self)
            }
            await database.close()
            #expect(batches == 0, "nothing imported before the setting is fixed")
            let queued = try await cli.succeed([
                "import", csv.path, "--client", CLISmokeTests.client, "--template", CLISmokeTests.template, "--queue",
            ])
            #expect(queued.stdout.contains("Batch 1 queued: the drafting workers of `greenlight serve` draft it."), "\(queued)")
            let reopened = try await Database.open(.sqlite(path: cli.database), logger: TestDatabase.logger)
            let drafted = try await DraftWorker(database: reopened, filler: ContextPackFiller()).runUntilIdle()
            await reopened.close()
            #expect(drafted == 3, "the queued batch is the workers' to draft")
        }
    }
}
