import Foundation
@testable import GreenlightCore
@testable import GreenlightWork
import SQLKit
import Testing
import GreenlightTestSupport

/// `greenlight outcomes subscribe` and `greenlight outcomes sync`, the built binary against the fake
/// Instantly: no public URL is refused with what to set; with one, the webhook is created at the
/// sequencer and the addresses printed once; a sync reads the campaign back and records the reply the
/// webhook never delivered.
@Suite("CLI: outcomes")
struct CLIOutcomesTests {
    @Test("outcomes subscribe needs GREENLIGHT_PUBLIC_URL, then creates the webhook; outcomes sync records what no webhook brought")
    func subscribeAndSync() async throws {
        try await FakeSequencer.run { fake, baseURL in
            try await GreenlightProcess.withFolder { cli in
                let key = try await cli.succeed(["secrets", "make-key"], database: false).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                var environment = ["GREENLIGHT_SECRET_KEY": key, "GREENLIGHT_INSTANTLY_BASE_URL": baseURL, "SEQUENCER_KEY": fake.key]
                _ = try await cli.succeed(["client", "add", CLISmokeTests.demo + "/pack"])
                _ = try await cli.succeed(["template", "add", CLISmokeTests.demo + "/template.md", "--client", CLISmokeTests.client])
                _ = try await cli.succeed(
                    ["secrets", "set", "--client", CLISmokeTests.client, "--sequencer", "instantly", "--sequencer-key-env", "SEQUENCER_KEY"],
                    environment: environment)
                let csv = cli.folder.appendingPathComponent("contacts.csv")
                try Seed.csv(3, domain: "cli outcomes").write(to: csv, atomically: true, encoding: .utf8)
                _ = try await cli.succeed(["import", csv.path, "--client", CLISmokeTests.client, "--template", CLISmokeTests.template])
                let database = try await Database.open(.sqlite(path: cli.database), logger: TestDatabase.logger)
                try await database.write { sql in
                    try await sql.raw(
                        "UPDATE generated_emails SET status = 'approved', reviewer_name = 'Sam', reviewed_at = \(bind: TimeSource.system.nowMillis() - 60_000)"
                    ).run()
                }
                await database.close()
                _ = try await cli.succeed(["export", "--client", CLISmokeTests.client], environment: environment)
                let campaign = try #require(fake.allCampaigns.first)

                try await cli.fail(
                    ["outcomes", "subscribe", "--client", CLISmokeTests.client], saying: "set GREENLIGHT_PUBLIC_URL", environment: environment)
                environment["GREENLIGHT_PUBLIC_URL"] = "https://greenlight.example.com/"
                let subscribed = try await cli.succeed(["outcomes", "subscribe", "--client", CLISmokeTests.client], environment: environment)
                let hook = try #require(fake.createdWebhooks.first)
                #expect(subscribed.stdout.contains("the webhook was created in the sequencer (\(hook["id"] ?? "?"))"), "\(subscribed)")
                #expect(hook["target_hook_url"]?.hasPrefix("https://greenlight.example.com/hooks/instantly/") == true)
                #expect(subscribed.stdout.contains("Instantly address: " + (hook["target_hook_url"] ?? "?")))

                // A reply the webhook never delivered: the pull finds it.
                let lead = try #require(campaign.order.first)
                _ = fake.happen(.init("reply_received", lead: lead, campaignID: campaign.id, step: 1, at: 1_796_000_000_000))
                let synced = try await cli.succeed(["outcomes", "sync", "--client", CLISmokeTests.client], environment: environment)
                #expect(
                    synced.stdout.contains("Northwind Ledger: 1 campaign, 3 leads read")
                        && synced.stdout.contains("1 outcome the webhooks had not brought"), "\(synced)")
                try await cli.fail(["outcomes", "sync", "--client", "Nobody"], saying: "no client named \"Nobody\"", environment: environment)
            }
        }
    }
}
