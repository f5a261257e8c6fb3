import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
import SQLKit
import Testing
import GreenlightTestSupport

/// The demo's prospects answered: its history's older approvals went out in weekly runs whose ledger
/// reads as a finished export, with a few percent replies (some positive), about 2% bounces, a few
/// unsubscribes — every address that bounced, unsubscribed or was the wrong person suppressed — a
/// reply kept aside for a lead never sent, and a do-not-contact domain; the same on every run.
@Suite("Demo outcomes")
struct DemoOutcomesTests {
    @Test("a fresh demo has sent emails with replies, bounces and unsubscribes, and a suppression list", arguments: DatabaseDialect.allCases)
    func demoHasOutcomes(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            _ = try await DemoSetup(database: database, paths: TestDatabase.paths, hasher: PasswordHasher(cost: 4)).run()
            let sent = try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails WHERE status = 'sent'")
            let items = try await Seed.count(database, "SELECT COUNT(*) AS n FROM export_items WHERE status = 'sent'")
            #expect(sent > 250 && items == sent, "\(sent) sent, \(items) ledger items")
            #expect(
                try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails WHERE status IN ('approved', 'approved_edited')") > 0,
                "the last day's approvals still wait for the export")
            let replied = try await Seed.count(database, "SELECT COUNT(*) AS n FROM email_outcomes WHERE replied_at IS NOT NULL")
            let positive = try await Seed.count(
                database, "SELECT COUNT(*) AS n FROM email_outcomes WHERE interest IN ('interested', 'meeting_booked', 'meeting_completed', 'won')")
            let bounced = try await Seed.count(database, "SELECT COUNT(*) AS n FROM email_outcomes WHERE bounced_at IS NOT NULL")
            let unsubscribed = try await Seed.count(database, "SELECT COUNT(*) AS n FROM email_outcomes WHERE unsubscribed_at IS NOT NULL")
            #expect((sent * 3 / 100...sent * 12 / 100).contains(replied), "\(replied) replies of \(sent)")
            #expect(positive > 0 && positive < replied, "\(positive) positive of \(replied)")
            #expect((1...sent * 5 / 100).contains(bounced), "\(bounced) bounces")
            #expect(unsubscribed >= 1, "\(unsubscribed) unsubscribes")
            let wrongPeople = try await Seed.count(database, "SELECT COUNT(*) AS n FROM email_outcomes WHERE interest = 'wrong_person'")
            let suppressions = try await Seed.count(database, "SELECT COUNT(*) AS n FROM suppressions")
            #expect(suppressions == bounced + unsubscribed + wrongPeople + 1, "each bounced, unsubscribed and wrong-person address, and the domain")
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM outcome_events WHERE email_id IS NULL") == 1, "the lead never sent")
            var stored: [Int: EmailOutcome] = [:]
            for client in try await ClientRepository(database: database).all() {
                stored.merge(try await EmailOutcome.stored(database, clientID: client.id)) { first, _ in first }
            }
            let events = try await database.read { sql in
                try await sql.raw("SELECT email_id, kind, label, occurred_at FROM outcome_events WHERE email_id IS NOT NULL").all().map { row in
                    (
                        try row.decode(column: "email_id", as: Int.self),
                        OutcomeEvent(
                            vendor: "instantly", eventType: "",
                            kind: OutcomeKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other,
                            label: try row.decode(column: "label", as: String.self), campaignID: "", leadEmail: "", step: 0,
                            occurredAt: try row.decode(column: "occurred_at", as: Int.self))
                    )
                }
            }
            let recount = Dictionary(grouping: events, by: \.0).mapValues { EmailOutcome.from($0.map(\.1)) }.filter { $0.value != EmailOutcome() }
            #expect(recount == stored, "the stored outcomes are the recount of the events")
        }
    }

    @Test(
        "the demo's second client is in partial: auto-approved emails went out with their outcomes, the reply criterion reads them, and a prompt experiment runs",
        arguments: DatabaseDialect.allCases)
    func partialClient(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let clock = TimeSource.system
            _ = try await DemoSetup(database: database, paths: TestDatabase.paths, hasher: PasswordHasher(cost: 4), clock: clock).run()
            let client = try #require(try await ClientRepository(database: database).all().first { $0.name == DemoPartialHistory.name })
            let state = try await RolloutRepository(database: database).state(clientID: client.id)
            #expect(state.phase == .partial)
            #expect(
                try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails WHERE status IN ('pending_review', 'sampled')") > 0,
                "Northwind's queue")
            #expect(
                try await Seed.count(
                    database, "SELECT COUNT(*) AS n FROM generated_emails WHERE client_id = \(client.id) AND status IN ('pending_review', 'sampled')")
                    == 0, "every draft of the second client is decided")
            let readiness = try await RolloutReadiness.measure(state, evidence: RolloutEvidence(database: database, clock: clock))
            let replies = try #require(readiness.criteria.first { $0.name == "reply_difference" })
            #expect(replies.count > 150 && replies.value != nil, "auto-approved and reviewed emails were sent: \(replies.label)")
            let experiments = PromptExperiments(database: database, clock: clock)
            let experiment = try #require(try await experiments.setup(clientID: client.id).experiment)
            #expect(experiment.variant == DemoPartialHistory.variant && experiment.variantShareBP == 5_000)
            let comparison = try await ExperimentComparison.read(database, experiment: experiment)
            #expect(comparison.control.drafts > 40 && comparison.variant.drafts > 40, "\(comparison.control) \(comparison.variant)")
            #expect(comparison.control.sent > 0 && comparison.variant.sent > 0)
            #expect(
                try await Seed.count(
                    database, "SELECT COUNT(*) AS n FROM generated_emails WHERE client_id = \(client.id) AND status = 'sent' AND reviewer_id IS NULL")
                    > 50, "auto-approved emails went out")
        }
    }
}
