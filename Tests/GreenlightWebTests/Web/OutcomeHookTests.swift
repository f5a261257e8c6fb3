import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Hummingbird
import HummingbirdTesting
import Logging
import SQLKit
import Testing
import GreenlightTestSupport

/// What prospects answered, read back by webhook: the fake Instantly and Smartlead deliver, over
/// loopback to the live app, every event type in their documented bodies — some three times, out
/// of order, of types Greenlight does not know, for leads it never sent — and each is stored once,
/// attached to the email that was sent, with the email's outcome equal to a recount of its events.
@Suite("Outcome webhooks", .timeLimit(.minutes(15)))
struct OutcomeHookTests {
    struct Setup: Sendable {
        var database: Database
        var seed: Seed
        var fake: FakeSequencer
        /// The app's base URL on loopback.
        var app: String
        var hook: OutcomeHooks.Made
        var clock: ManualClock
        /// The app's secret key (the client's sequencer key is stored with it).
        var box: SecretBox
        /// The emails exported, with their addresses, and the campaign they went to.
        var sent: [(id: Int, email: String)]
        var campaignID: String

        var vendor: FakeSequencer.Vendor { fake.vendor }
        var url: String { "\(app)/hooks/\(vendor)/\(hook.token)" }
    }

    /// Seeds a client, approves `approve` emails and exports them to the fake, makes the client's
    /// webhook address, and runs `body` against the live app.
    static func with(
        _ dialect: DatabaseDialect, _ vendor: FakeSequencer.Vendor, contacts: Int = 12, approve: Int = 6, export: Bool = true,
        _ body: @escaping @Sendable (Setup) async throws -> Void
    ) async throws {
        try await FakeSequencer.run(vendor) { fake, baseURL in
            try await TestDatabase.with(dialect) { database in
                let seed = try await Seed.make(database, contacts: contacts)
                let box = try SecretBox(base64Key: SecretBox.makeKey())
                let secrets = ClientSecrets(database: database, box: box)
                try await secrets.set(clientID: seed.clientID, sequencerKind: vendor.rawValue, sequencerKey: fake.key, slackWebhook: nil)
                let ids = try await ReviewQueue(database: database).page(QueueFilter(), limit: approve).emails.map(\.id)
                for id in ids { _ = try await ReviewDecider(database: database).decide(.approve, emailID: id, by: Reviewer(id: nil, name: "Sam")) }
                let clock = ManualClock(startingAt: TimeSource.system.nowMillis() + 60_000)
                if export {
                    var logger = Logger(label: "outcome-test")
                    logger.logLevel = .critical
                    let factory = SequencerFactory(
                        instantlyBaseURL: baseURL, smartleadBaseURL: baseURL, policy: RetryPolicy(timeout: .seconds(30), maxRetries: 2),
                        sleep: { _ in })
                    _ = try await Exporter(database: database, secrets: secrets, factory: factory, clock: clock.source, logger: logger).run(
                        clientID: seed.clientID)
                }
                let sent = try await database.read { sql in
                    try await sql.raw("SELECT id, contact_email, export_campaign_id FROM generated_emails WHERE sent_at IS NOT NULL ORDER BY id")
                        .all()
                }
                let campaignID = try sent.first?.decode(column: "export_campaign_id", as: String.self) ?? ""
                let hook = try await OutcomeHooks(database: database, clock: clock.source).make(clientID: seed.clientID, userID: nil)
                let configuration = AppConfiguration(
                    port: 0, paths: TestDatabase.paths, bcryptCost: 4, clock: clock.source, secretBox: box, sequencers: Self.factory(baseURL))
                let app = try await buildApplication(configuration: configuration, database: database, logger: TestDatabase.logger)
                try await app.test(.live) { client in
                    let port = try #require(client.port)
                    try await body(
                        Setup(
                            database: database, seed: seed, fake: fake, app: "http://127.0.0.1:\(port)", hook: hook, clock: clock, box: box,
                            sent: try sent.map {
                                (try $0.decode(column: "id", as: Int.self), try $0.decode(column: "contact_email", as: String.self).lowercased())
                            },
                            campaignID: campaignID))
                }
            }
        }
    }

    /// Sequencer clients aimed at the fake, retrying at once, three leads a page.
    static func factory(_ baseURL: String) -> SequencerFactory {
        SequencerFactory(
            instantlyBaseURL: baseURL, smartleadBaseURL: baseURL, policy: RetryPolicy(timeout: .seconds(30), maxRetries: 2), sleep: { _ in }
        ).batches(of: 3)
    }

    /// The vendor's name for each thing a test delivers.
    static func type(_ what: String, _ vendor: FakeSequencer.Vendor) -> (type: String, category: String?) {
        switch (what, vendor) {
        case ("sent", .instantly): ("email_sent", nil)
        case ("sent", .smartlead): ("EMAIL_SENT", nil)
        case ("opened", .instantly): ("email_opened", nil)
        case ("opened", .smartlead): ("EMAIL_OPEN", nil)
        case ("reply", .instantly): ("reply_received", nil)
        case ("reply", .smartlead): ("EMAIL_REPLY", nil)
        case ("bounce", .instantly): ("email_bounced", nil)
        case ("bounce", .smartlead): ("EMAIL_BOUNCE", nil)
        case ("unsubscribe", .instantly): ("lead_unsubscribed", nil)
        case ("unsubscribe", .smartlead): ("LEAD_UNSUBSCRIBED", nil)
        case ("interested", .instantly): ("lead_interested", nil)
        case ("interested", .smartlead): ("LEAD_CATEGORY_UPDATED", "Interested")
        case ("not interested", .instantly): ("lead_not_interested", nil)
        case ("not interested", .smartlead): ("LEAD_CATEGORY_UPDATED", "Not Interested")
        case ("wrong person", .instantly): ("lead_wrong_person", nil)
        case ("wrong person", .smartlead): ("LEAD_CATEGORY_UPDATED", "Wrong Person")
        case ("unknown", .instantly): ("campaign_completed", nil)
        default: ("CAMPAIGN_STATUS_CHANGED", nil)
        }
    }

    static func event(_ what: String, _ setup: Setup, lead: String, step: Int = 1, minutes: Int, campaign: String? = nil) -> FakeSequencer.Event {
        let (type, category) = Self.type(what, setup.vendor)
        return FakeSequencer.Event(
            type, lead: what == "unknown" && setup.vendor == .instantly ? "" : lead, campaignID: campaign ?? setup.campaignID, step: step,
            at: 1_796_000_000_000 + minutes * 60_000, category: category)
    }

    static func deliver(_ events: [FakeSequencer.Event], _ setup: Setup, times: Int = 1) async throws -> [Int] {
        var statuses: [Int] = []
        for event in events {
            for _ in 0..<times {
                statuses.append(try await FakeSequencer.deliver(setup.fake.webhookBody(event, secret: setup.hook.secret), to: setup.url).status)
            }
        }
        return statuses
    }

    static func storedEvents(_ database: Database) async throws -> [(event: OutcomeEvent, emailID: Int?)] {
        try await database.read { sql in
            try await sql.raw(
                "SELECT vendor, event_type, kind, label, campaign_id, lead_email, step, occurred_at, email_id FROM outcome_events ORDER BY id"
            ).all()
        }.map { row in
            (
                OutcomeEvent(
                    vendor: try row.decode(column: "vendor", as: String.self), eventType: try row.decode(column: "event_type", as: String.self),
                    kind: OutcomeKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other,
                    label: try row.decode(column: "label", as: String.self),
                    campaignID: try row.decode(column: "campaign_id", as: String.self),
                    leadEmail: try row.decode(column: "lead_email", as: String.self),
                    step: try row.decode(column: "step", as: Int.self), occurredAt: try row.decode(column: "occurred_at", as: Int.self)),
                try row.decode(column: "email_id", as: Int?.self)
            )
        }
    }

    @Test(
        "every delivery is stored once — repeated three times, out of order, unknown types, leads never sent — and attached to the email sent",
        arguments: DatabaseDialect.allCases, FakeSequencer.Vendor.allCases)
    func storedOnce(_ dialect: DatabaseDialect, _ vendor: FakeSequencer.Vendor) async throws {
        try await Self.with(dialect, vendor) { setup in
            try #require(setup.sent.count == 6, "the export sent the six approved emails")
            let (a, b, c, d) = (setup.sent[0].email, setup.sent[1].email, setup.sent[2].email, setup.sent[3].email)
            // The lead's later "not interested" arrives before the earlier "interested": the later one wins.
            let events = [
                Self.event("sent", setup, lead: a, minutes: 0), Self.event("sent", setup, lead: b, minutes: 0),
                Self.event("sent", setup, lead: a, step: 2, minutes: 3 * 24 * 60), Self.event("opened", setup, lead: a, minutes: 5),
                Self.event("not interested", setup, lead: a, minutes: 300), Self.event("reply", setup, lead: a, minutes: 200),
                Self.event("interested", setup, lead: a, minutes: 250), Self.event("bounce", setup, lead: b, minutes: 1),
                Self.event("unsubscribe", setup, lead: c, minutes: 90), Self.event("reply", setup, lead: d, minutes: 60),
                Self.event("interested", setup, lead: d, minutes: 61), Self.event("unknown", setup, lead: d, minutes: 70),
                Self.event("reply", setup, lead: "stranger@elsewhere.example", minutes: 30),
                Self.event("reply", setup, lead: a, minutes: 30, campaign: vendor == .instantly ? "cmp-999" : "999"),
            ]
            let statuses = try await Self.deliver(events, setup, times: 3)
            #expect(statuses.allSatisfy { $0 == 200 }, "every delivery accepted: \(statuses)")

            let stored = try await Self.storedEvents(setup.database)
            #expect(stored.count == events.count, "each event once, though each came three times")
            let byEmail = Dictionary(grouping: stored.filter { $0.emailID != nil }, by: { $0.emailID! })
            let idOf = Dictionary(uniqueKeysWithValues: setup.sent.map { ($0.email, $0.id) })
            #expect(
                stored.filter { $0.emailID == nil && $0.event.kind != .other }.map(\.event.leadEmail).sorted()
                    == [a, "stranger@elsewhere.example"].sorted(),
                "a lead never sent, and a known address in a campaign Greenlight did not make, are kept aside, not attached")
            for (emailID, events) in byEmail {
                #expect(Set(events.map(\.event.leadEmail)) == [setup.sent.first { $0.id == emailID }?.email ?? "?"], "attached to its own email")
            }

            let outcomes = try await EmailOutcome.stored(setup.database, clientID: setup.seed.clientID)
            for (emailID, events) in byEmail {
                #expect(
                    outcomes[emailID] ?? EmailOutcome() == EmailOutcome.from(events.map(\.event)), "the stored outcome is the recount of its events")
            }
            let first = try #require(outcomes[idOf[a]!])
            #expect(first.repliedAt != nil && first.interest == .notInterested && !first.positiveReply, "the later status wins")
            #expect(outcomes[idOf[b]!]?.bouncedAt != nil && outcomes[idOf[c]!]?.unsubscribedAt != nil)
            #expect(outcomes[idOf[d]!]?.positiveReply == true)

            let list = try await SuppressionList(database: setup.database).list(clientID: setup.seed.clientID)
            #expect(Set(list.map(\.address)) == [b, c], "the bounced and the unsubscribed address are suppressed")
            #expect(Set(list.map(\.reason)) == [.bounced, .unsubscribed])
        }
    }

    @Test(
        "an unknown token, a wrong secret, a body that is not JSON, one without an event type and one over 256 KB are refused; nothing is stored",
        arguments: DatabaseDialect.allCases)
    func refusals(_ dialect: DatabaseDialect) async throws {
        try await Self.with(dialect, .smartlead, approve: 2) { setup in
            let good = setup.fake.webhookBody(Self.event("reply", setup, lead: setup.sent[0].email, minutes: 1), secret: setup.hook.secret)
            let unknown = try await FakeSequencer.deliver(good, to: "\(setup.app)/hooks/smartlead/\(SecureToken.make())")
            #expect(unknown.status == 404 && !unknown.text.contains("token") && !unknown.text.contains("secret"), "no hint: \(unknown.text)")
            let wrongSecret = try await FakeSequencer.deliver(
                setup.fake.webhookBody(Self.event("reply", setup, lead: setup.sent[0].email, minutes: 1), secret: "not-the-secret"), to: setup.url)
            #expect(wrongSecret.status == 404, "Smartlead's secret_key must match too")
            let noSecret = try await FakeSequencer.deliver(
                setup.fake.webhookBody(Self.event("reply", setup, lead: setup.sent[0].email, minutes: 1), secret: ""), to: setup.url)
            #expect(noSecret.status == 404)
            let notJSON = try await FakeSequencer.deliver(Data("event_type=EMAIL_REPLY".utf8), to: setup.url)
            #expect(notJSON.status == 400 && notJSON.text.contains("not JSON"), "\(notJSON.text)")
            let noType = try await FakeSequencer.deliver(Data(#"{"to_email": "a@b.example", "secret_key": "x"}"#.utf8), to: setup.url)
            #expect(noType.status == 400 && noType.text.contains("event_type"), "\(noType.text)")
            let huge = try await FakeSequencer.deliver(
                Data(#"{"event_type": "EMAIL_REPLY", "pad": "\#(String(repeating: "x", count: 300_000))"}"#.utf8), to: setup.url)
            #expect(huge.status == 413, "over 256 KB: \(huge.status)")
            // The Instantly address with the same token takes Instantly's body; a Smartlead-only check does not apply.
            let stored = try await Self.storedEvents(setup.database)
            #expect(stored.isEmpty, "nothing refused was stored")
            let accepted = try await FakeSequencer.deliver(good, to: setup.url)
            let after = try await Self.storedEvents(setup.database)
            #expect(accepted.status == 200 && after.count == 1)
        }
    }

    @Test(
        "an unsubscribe, a bounce and a do-not-contact domain hold an approved email back from the sequencer, from a CSV file and from an import",
        arguments: DatabaseDialect.allCases)
    func suppressionHolds(_ dialect: DatabaseDialect) async throws {
        try await Self.with(dialect, .instantly, contacts: 12, approve: 9, export: false) { setup in
            let approved = try await setup.database.read { sql in
                try await sql.raw("SELECT id, contact_email FROM generated_emails WHERE status = 'approved' ORDER BY id").all().map {
                    (try $0.decode(column: "id", as: Int.self), try $0.decode(column: "contact_email", as: String.self).lowercased())
                }
            }
            try #require(approved.count == 9)
            // Unsubscribed and bounced from a campaign made outside Greenlight: kept aside, yet suppressed.
            let outside = "cmp-outside"
            let statuses = try await Self.deliver(
                [
                    Self.event("unsubscribe", setup, lead: approved[0].1, minutes: 1, campaign: outside),
                    Self.event("bounce", setup, lead: approved[1].1, minutes: 2, campaign: outside),
                ], setup)
            #expect(statuses == [200, 200])
            let domain = String(approved[8].1.split(separator: "@")[1])
            _ = try await SuppressionList(database: setup.database).add(
                clientID: setup.seed.clientID, text: "@" + domain.uppercased(), note: "asked by phone", userID: nil)
            let held = Set([approved[0].1, approved[1].1] + approved.map(\.1).filter { $0.hasSuffix("@" + domain) })

            // A CSV file leaves them out.
            let file = try #require(try await CSVExport(database: setup.database, clock: setup.clock.source).prepare(clientID: setup.seed.clientID))
            let rows = try await setup.database.read { sql in
                try await sql.raw(
                    "SELECT e.contact_email FROM export_items i JOIN generated_emails e ON e.id = i.email_id WHERE i.run_id = \(bind: file.runID)"
                ).all()
                    .map { try $0.decode(column: "contact_email", as: String.self).lowercased() }
            }
            #expect(Set(rows).isDisjoint(with: held) && rows.count == 9 - held.count, "the file holds \(rows)")
            try await CSVExport(database: setup.database, clock: setup.clock.source).cancel(runID: file.runID, clientIDs: nil)

            // The sequencer never receives them.
            let secrets = ClientSecrets(database: setup.database, box: try SecretBox(base64Key: SecretBox.makeKey()))
            try await secrets.set(clientID: setup.seed.clientID, sequencerKind: "instantly", sequencerKey: setup.fake.key, slackWebhook: nil)
            var logger = Logger(label: "outcome-test")
            logger.logLevel = .critical
            let factory = SequencerFactory(
                instantlyBaseURL: setup.fake.baseURL, smartleadBaseURL: setup.fake.baseURL, policy: RetryPolicy(timeout: .seconds(30), maxRetries: 2),
                sleep: { _ in })
            _ = try await Exporter(database: setup.database, secrets: secrets, factory: factory, clock: setup.clock.source, logger: logger).run(
                clientID: setup.seed.clientID)
            let received = Set(setup.fake.receivedCounts.keys)
            #expect(received.isDisjoint(with: held) && received.count == 9 - held.count, "the sequencer got \(received.sorted())")
            let status = try await ExportFixtures.statuses(setup.database, [approved[0].0])
            #expect(status == ["approved"], "held back, still approved")

            // An import reports the suppressed address and does not draft it.
            let csv =
                "email,company_name,first_name\n\(approved[0].1.uppercased()),Acme,Ann\nnew.person@fresh.example,Fresh,Fred\nsomeone@\(domain),Dom,Dee\n"
            let report = try await ContactImporter(database: setup.database).importCSV(
                .bytes(Array(csv.utf8)), fileName: "again.csv", clientID: setup.seed.clientID, templateID: setup.seed.templateID)
            #expect(report.imported == 1)
            #expect(report.skipped.map(\.row) == [2, 4], "the rows of the suppressed address and domain (the header is row 1)")
            #expect(
                report.skipped.first?.reason.hasPrefix("unsubscribed on ") == true && report.skipped.first?.reason.hasSuffix(", not drafted") == true,
                "\(report.skipped)")
            #expect(report.skipped.last?.reason.contains("the domain \(domain) is marked do-not-contact") == true, "\(report.skipped)")
        }
    }
}
