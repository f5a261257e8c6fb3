import Foundation
import Logging
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// The outcome guard: a client in partial whose auto-approved emails bounce past the limit drops to
/// shadow as the webhook delivers the bounce that crosses it — recorded in the history by the gate,
/// posted to the client's Slack webhook (a loopback fake) — while bounces of human-approved emails
/// and a delivery repeated do not count.
@Suite("Outcome guard", .timeLimit(.minutes(15)))
struct OutcomeGuardTests {
    @Test(
        "bounces of auto-approved emails over the limit drop the client one phase, with the history and a Slack message",
        arguments: DatabaseDialect.allCases)
    func bouncesDemote(_ dialect: DatabaseDialect) async throws {
        try await FakeSlack.run([.ok]) { slack, slackBase in
            try await OutcomeHookTests.with(dialect, .instantly, contacts: 2, approve: 2) { setup in
                let database = setup.database
                let clientID = setup.seed.clientID
                let secrets = ClientSecrets(database: database, box: setup.box)
                try await secrets.set(
                    clientID: clientID, sequencerKind: "instantly", sequencerKey: setup.fake.key,
                    slackWebhook: slackBase + "/services/T000/B000/secret")
                // Partial with every draft auto-approved (threshold 0, no sample); the guard looks at the last 10, at most 1 bounced.
                let manager = Reviewer(id: nil, name: "Boss")
                let rollout = RolloutRepository(database: database)
                var settings = try await rollout.state(clientID: clientID).settings
                for (name, value) in [("partial_threshold", "0"), ("sample_rate", "0"), ("outcome_window", "10"), ("bounce_limit", "0.1")] {
                    try RolloutSettingsFields.named(name)!.set(value, on: &settings)
                }
                try await rollout.update(settings: settings, clientID: clientID, by: manager, reason: "test")
                #expect(try await rollout.changePhase(clientID: clientID, from: .shadow, to: .partial, action: .promote, by: manager, reason: "test"))
                _ = try await Seed.importAndDraft(database, seed: setup.seed, contacts: 10, prefix: "auto")
                var logger = Logger(label: "outcome-guard-test")
                logger.logLevel = .critical
                _ = try await Exporter(
                    database: database, secrets: secrets, factory: OutcomeHookTests.factory(setup.fake.baseURL), clock: setup.clock.source,
                    logger: logger
                ).run(clientID: clientID)
                let auto = try await database.read { sql in
                    try await sql.raw(
                        """
                        SELECT contact_email, export_campaign_id FROM generated_emails
                        WHERE gate_outcome = 'auto' AND reviewer_id IS NULL AND sent_at IS NOT NULL ORDER BY id
                        """
                    ).all().map {
                        (
                            try $0.decode(column: "contact_email", as: String.self).lowercased(),
                            try $0.decode(column: "export_campaign_id", as: String.self)
                        )
                    }
                }
                try #require(auto.count == 10, "the ten auto-approved drafts went out")

                let start = setup.clock.source.nowMillis()
                func bounce(_ lead: String, _ campaign: String, minute: Int) async throws {
                    let body = setup.fake.happen(.init("email_bounced", lead: lead, campaignID: campaign, at: start + minute * 60_000))
                    #expect(try await FakeSequencer.deliver(body, to: setup.url).status == 200)
                }
                func phase() async throws -> RolloutPhase { try await rollout.state(clientID: clientID).phase }

                try await bounce(setup.sent[0].email, setup.campaignID, minute: 1)
                #expect(try await phase() == .partial, "a human-approved email's bounce is not the machine's")
                try await bounce(auto[0].0, auto[0].1, minute: 2)
                try await bounce(auto[0].0, auto[0].1, minute: 2)
                #expect(try await phase() == .partial, "1 of the last 10 is the limit, not over it; the repeated delivery counts once")
                #expect(slack.requests.isEmpty)
                try await bounce(auto[1].0, auto[1].1, minute: 3)
                #expect(try await phase() == .shadow, "the second bounce crosses the limit")

                let change = try #require(try await rollout.history(clientID: clientID).first)
                #expect(change.action == .demote && change.actorName == RolloutGate.actor.name)
                #expect(change.before == ["phase": "partial"] && change.after == ["phase": "shadow"])
                #expect(change.reason == "2 of the last 10 auto-approved emails sent in partial bounced (the limit is 1 of 10)")
                #expect(slack.requests.count == 1)
                #expect(
                    slack.requests.first?.body.contains(
                        "Northwind Ledger dropped back from partial to shadow. 2 of the last 10 auto-approved emails sent in partial bounced") == true
                )
                try await bounce(auto[2].0, auto[2].1, minute: 4)
                let after = try await phase()
                #expect(slack.requests.count == 1 && after == .shadow, "in shadow the guard has nothing to drop")
            }
        }
    }
}
