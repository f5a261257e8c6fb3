import Foundation
import HTTPTypes
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// Connecting the sequencer and Slack from the export page (issue 27, item 7): write-only fields,
/// the key checked against the sequencer before anything is saved, stored encrypted, shown only as
/// "ending …", audited, removable; then the export runs with no shell.
@Suite("Export: connect the sequencer and Slack from the page", .timeLimit(.minutes(15)))
struct ExportConnectionTests {
    @Test(
        "a manager removes the key, is refused a wrong one and a bad webhook with nothing saved, connects the right ones and exports",
        arguments: DatabaseDialect.allCases, FakeSequencer.Vendor.allCases)
    func connect(_ dialect: DatabaseDialect, _ vendor: FakeSequencer.Vendor) async throws {
        try await ExportStartTests.withExportApp(dialect, vendor, latency: .zero) { database, seed, fake, boss, _, _ in
            var boss = boss
            let export = "/clients/\(seed.clientID)/export"
            let connection = export + "/connection"
            #expect(try await boss.post(connection + "/remove", [("what", "key")]).status == .seeOther)
            var facts = try await ClientSecrets.facts(database, clientID: seed.clientID)
            #expect(facts.sequencerKey == nil && facts.sequencerKind?.rawValue == vendor.rawValue)
            let empty = try await boss.request(export)
            #expect(empty.text.contains("No sequencer key yet") && !empty.text.contains(">Run now</button>"), "nothing to run without a key")

            let wrong = try await boss.post(connection, [("sequencer", vendor.rawValue), ("api_key", "wrong-key-7777"), ("slack_webhook", "")])
            #expect(
                wrong.status == .unprocessableContent && wrong.text.contains("nothing saved: the sequencer refused the API key (401)"),
                "\(wrong.status)")
            #expect(!wrong.text.contains("wrong-key-7777"), "a key is never shown back")
            let badHook = try await boss.post(
                connection, [("sequencer", vendor.rawValue), ("api_key", fake.key), ("slack_webhook", "http://evil.example/hook")])
            #expect(badHook.status == .unprocessableContent && badHook.text.contains("the Slack webhook must be an https:// URL"))
            let other = vendor == .instantly ? "smartlead" : "instantly"
            let noKey = try await boss.post(connection, [("sequencer", other)])
            #expect(
                noKey.status == .unprocessableContent
                    && noKey.text.contains("paste the \(SequencerKind(rawValue: other)!.name) API key: nothing saved"))
            let refusedForgery = try await boss.post(connection, [("sequencer", vendor.rawValue), ("api_key", fake.key)], csrf: false)
            #expect(refusedForgery.status == .forbidden, "CSRF-protected")
            facts = try await ClientSecrets.facts(database, clientID: seed.clientID)
            #expect(
                facts.sequencerKey == nil && facts.slackWebhook == nil && facts.sequencerKind?.rawValue == vendor.rawValue, "nothing saved: \(facts)")

            let hook = "https://hooks.slack.com/services/T0/B0/c0ffee42"
            let saved = try await boss.post(connection, [("sequencer", vendor.rawValue), ("api_key", " \(fake.key) "), ("slack_webhook", hook)])
            #expect(saved.status == .seeOther)
            let page = try await boss.request(export)
            let label = SequencerKind(rawValue: vendor.rawValue)!.name
            #expect(page.text.contains("Connection of Northwind Ledger saved. The key works: \(label) answered."))
            #expect(
                page.text.contains("\(label) key ending …\(fake.key.suffix(4)), set ") && page.text.contains(" by Boss"),
                "the key's end, when and by whom")
            #expect(page.text.contains("Slack webhook ending …ee42, set "))
            #expect(!page.text.contains(fake.key) && !page.text.contains(hook), "neither secret is shown")
            let stored = try await ClientSecrets(database: database, box: ExportStartTests.box).get(clientID: seed.clientID)
            #expect(stored.sequencerKey == fake.key && stored.slackWebhook == hook, "stored trimmed, encrypted")
            let raw = try await database.read { sql in
                try await sql.raw("SELECT sequencer_key_encrypted FROM clients WHERE id = \(bind: seed.clientID)").first()?.decode(
                    column: "sequencer_key_encrypted", as: String?.self)
            }
            #expect(raw?.contains(fake.key) == false)
            let audit = try await AuditLog(database: database).recent().filter { $0.action.hasPrefix("secrets") && $0.actor == "Boss" }
            #expect(audit.map(\.action) == ["secrets set", "secrets removed"] && audit[0].actor == "Boss", "\(audit.map(\.action))")
            #expect(
                audit[0].details == "sequencer \(vendor.rawValue), sequencer key ending …\(fake.key.suffix(4)), Slack webhook ending …ee42",
                "\(audit[0].details)")

            // Saving again with the key field empty keeps the stored key (and asks the sequencer nothing).
            let requests = fake.requests
            #expect(try await boss.post(connection, [("sequencer", vendor.rawValue), ("api_key", "")]).status == .seeOther)
            let kept = try await ClientSecrets.facts(database, clientID: seed.clientID)
            #expect(fake.requests == requests && kept.sequencerKey != nil)

            // With no shell: run now exports every approved email once.
            #expect(try await boss.post(export + "/run").status == .seeOther)
            let run = try #require(
                try await database.read { sql in
                    try await sql.raw("SELECT MAX(id) AS id FROM export_runs").first()?.decode(column: "id", as: Int?.self)
                })
            #expect(try await ExportFixtures.settled(database, runID: run) == "finished")
            #expect(fake.receivedCounts.count == 12 && fake.receivedCounts.values.allSatisfy { $0 == 1 })

            #expect(try await boss.post(connection + "/remove", [("what", "slack")]).status == .seeOther)
            #expect(try await ClientSecrets.facts(database, clientID: seed.clientID).slackWebhook == nil)
        }
    }
}
