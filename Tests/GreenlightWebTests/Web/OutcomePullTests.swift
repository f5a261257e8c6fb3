import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// The other way in: Instantly's leads read back page by page (`POST /api/v2/leads/list` on the fake,
/// three leads a page) find what the webhooks missed — and only that — so with the same history the
/// outcomes equal what every webhook would have made; a pull goes on from its last page; one pull per
/// client at a time; the webhook subscribed through the API carries the secret in a header, is read
/// back disabled and resumed.
@Suite("Outcome pull and subscription", .timeLimit(.minutes(15)))
struct OutcomePullTests {
    static func pull(_ setup: OutcomeHookTests.Setup, box: SecretBox? = nil) async throws -> OutcomePull {
        let secrets = ClientSecrets(database: setup.database, box: try box ?? SecretBox(base64Key: SecretBox.makeKey()))
        try await secrets.set(clientID: setup.seed.clientID, sequencerKind: "instantly", sequencerKey: setup.fake.key, slackWebhook: nil)
        return OutcomePull(
            database: setup.database, secrets: secrets, factory: OutcomeHookTests.factory(setup.fake.baseURL),
            demotions: DemotionGuard(database: setup.database, clock: setup.clock.source), clock: setup.clock.source)
    }

    @Test(
        "a pull records what the webhooks missed, nothing twice, and then the outcomes are what every webhook would have made",
        arguments: DatabaseDialect.allCases)
    func findsWhatWasMissed(_ dialect: DatabaseDialect) async throws {
        try await OutcomeHookTests.with(dialect, .instantly, contacts: 12, approve: 8) { setup in
            try #require(setup.sent.count == 8)
            let lead = setup.sent.map(\.email)
            func at(_ minutes: Int) -> Int { 1_796_000_000_000 + minutes * 60_000 }
            let history: [(FakeSequencer.Event, delivered: Bool)] = [
                (.init("email_sent", lead: lead[0], campaignID: setup.campaignID, at: at(0)), true),
                (.init("reply_received", lead: lead[0], campaignID: setup.campaignID, step: 1, at: at(10)), false),
                (.init("lead_interested", lead: lead[0], campaignID: setup.campaignID, at: at(20)), false),
                (.init("email_bounced", lead: lead[1], campaignID: setup.campaignID, at: at(5)), true),
                (.init("lead_unsubscribed", lead: lead[2], campaignID: setup.campaignID, at: at(30)), false),
                (.init("reply_received", lead: lead[3], campaignID: setup.campaignID, step: 2, at: at(40)), true),
                (.init("lead_interested", lead: lead[3], campaignID: setup.campaignID, at: at(41)), true),
                (.init("lead_not_interested", lead: lead[3], campaignID: setup.campaignID, at: at(50)), false),
                (.init("lead_wrong_person", lead: lead[4], campaignID: setup.campaignID, at: at(60)), true),
                (.init("reply_received", lead: lead[6], campaignID: setup.campaignID, step: 1, at: at(70)), false),
            ]
            for (event, delivered) in history {
                let body = setup.fake.happen(event)
                if delivered { #expect(try await FakeSequencer.deliver(body, to: setup.url).status == 200) }
            }
            let before = try await Seed.count(setup.database, "SELECT COUNT(*) AS n FROM outcome_events")

            let report = try await Self.pull(setup).run(clientID: setup.seed.clientID)
            #expect(report.campaigns == 1 && report.leads == 8)
            #expect(report.requests == 4, "8 leads, three a page, and the empty page after the last cursor")
            #expect(
                report.recorded == 5,
                "the missed reply and status of the first lead, the unsubscribe, the later status of the fourth, the seventh's reply: \(report)")
            #expect(try await Seed.count(setup.database, "SELECT COUNT(*) AS n FROM outcome_events") == before + 5)

            // The outcomes every delivered webhook would have made.
            let parsed = try history.map { try OutcomeDelivery.instantly(Array(setup.fake.webhookBody($0.0))) }
            let expected = Dictionary(grouping: parsed, by: \.leadEmail).mapValues { EmailOutcome.from($0) }
            let stored = try await EmailOutcome.stored(setup.database, clientID: setup.seed.clientID)
            for (id, email) in setup.sent {
                let want = expected[email] ?? EmailOutcome(), got = stored[id] ?? EmailOutcome()
                #expect(
                    (got.repliedAt != nil, got.bouncedAt != nil, got.unsubscribedAt != nil, got.interest) == (
                        want.repliedAt != nil, want.bouncedAt != nil, want.unsubscribedAt != nil, want.interest
                    ), "\(email)")
            }
            let suppressed = try await SuppressionList(database: setup.database).list(clientID: setup.seed.clientID).map(\.address)
            #expect(Set(suppressed) == [lead[1], lead[2], lead[4]], "bounced, unsubscribed (found by the pull), wrong person")

            let again = try await Self.pull(setup).run(clientID: setup.seed.clientID)
            #expect(again.recorded == 0 && again.leads == 8, "a second pull finds nothing new")
        }
    }

    @Test("a pull stopped part-way goes on from its last page; one pull per client at a time", arguments: DatabaseDialect.allCases)
    func resumesAndLeases(_ dialect: DatabaseDialect) async throws {
        try await OutcomeHookTests.with(dialect, .instantly, contacts: 12, approve: 8) { setup in
            let pull = try await Self.pull(setup)
            let ids =
                setup.fake.allCampaigns.first { $0.id == setup.campaignID }.map { campaign in campaign.order.compactMap { campaign.leads[$0] } } ?? []
            try #require(ids.count == 8)
            try await setup.database.write { sql in
                try await sql.raw(
                    """
                    INSERT INTO outcome_pulls (client_id, campaign_id, next_cursor, started_at, leads, requests)
                    VALUES (\(bind: setup.seed.clientID), \(bind: setup.campaignID), \(bind: ids[4]), 1, 5, 2)
                    """
                ).run()
            }
            let report = try await pull.run(clientID: setup.seed.clientID)
            #expect(report.leads == 3 && report.requests == 2, "from after the fifth lead (a page, then the empty one): \(report)")
            let row = try await Seed.count(setup.database, "SELECT leads AS n FROM outcome_pulls")
            #expect(row == 8, "the round counts every lead")

            #expect(try await pull.claim(clientID: setup.seed.clientID, owner: "a"))
            #expect(try await !pull.claim(clientID: setup.seed.clientID, owner: "b"), "held by a")
            await #expect(throws: OutcomePull.Refused.self) { _ = try await pull.run(clientID: setup.seed.clientID) }
            setup.clock.advance(by: .seconds(11 * 60))
            #expect(try await pull.claim(clientID: setup.seed.clientID, owner: "b"), "a's lease ran out")
            try await pull.release(clientID: setup.seed.clientID, owner: "b")
            #expect(try await pull.claim(clientID: setup.seed.clientID, owner: "c", localDay: "2026-12-07"))
            try await pull.release(clientID: setup.seed.clientID, owner: "c")
            #expect(try await !pull.claim(clientID: setup.seed.clientID, owner: "d", localDay: "2026-12-07"), "the day's pull is taken once")
        }
    }

    @Test(
        "subscribing creates Instantly's webhook with the secret in a header, required on delivery; disabled, then resumed",
        arguments: [DatabaseDialect.sqlite])
    func subscribes(_ dialect: DatabaseDialect) async throws {
        try await OutcomeHookTests.with(dialect, .instantly, contacts: 6, approve: 3) { setup in
            let box = try SecretBox(base64Key: SecretBox.makeKey())
            let secrets = ClientSecrets(database: setup.database, box: box)
            try await secrets.set(clientID: setup.seed.clientID, sequencerKind: "instantly", sequencerKey: setup.fake.key, slackWebhook: nil)
            let subscription = OutcomeSubscription(
                database: setup.database, secrets: secrets, factory: OutcomeHookTests.factory(setup.fake.baseURL), clock: setup.clock.source)
            let connected = try await subscription.connect(
                clientID: setup.seed.clientID, clientName: "Northwind Ledger", base: setup.app, userID: nil)
            let hook = try #require(setup.fake.createdWebhooks.first)
            #expect(connected.vendorID == hook["id"] && hook["target_hook_url"] == connected.instantlyURL && hook["event_type"] == "all_events")
            let body = setup.fake.happen(.init("reply_received", lead: setup.sent[0].email, campaignID: setup.campaignID, at: 1_796_000_000_000))
            #expect(try await setup.fake.deliverToWebhooks(body) == [200], "the subscribed webhook's deliveries carry the secret")
            let bare = try await FakeSequencer.deliver(body, to: connected.instantlyURL)
            #expect(bare.status == 404, "once Greenlight subscribed it, a delivery without the secret header is refused")

            #expect(try await subscription.refresh(clientID: setup.seed.clientID) == .active)
            setup.fake.disableWebhooks()
            #expect(try await subscription.refresh(clientID: setup.seed.clientID) == .disabled)
            #expect(try await OutcomeHooks(database: setup.database).subscription(clientID: setup.seed.clientID)?.state == "disabled")
            try await subscription.resume(clientID: setup.seed.clientID, userID: nil)
            #expect(try await subscription.refresh(clientID: setup.seed.clientID) == .active)
        }
    }
}
