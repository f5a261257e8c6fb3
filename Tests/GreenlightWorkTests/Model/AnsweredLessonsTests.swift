import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
import SQLKit
import Testing
import GreenlightTestSupport

/// What got answered teaches the next drafts, on both databases: an email sent, replied to and
/// marked interested (as the sequencer's events record it) is in every agent's prompt of the next
/// batch of that client and template, as the reviewer let it go — labelled as what worked; one whose
/// prospect later said "not interested" is not.
@Suite("Lessons from positive replies", .timeLimit(.minutes(15)))
struct AnsweredLessonsTests {
    @Test("the next batch's prompts carry the emails that got a positive reply, and only those", arguments: DatabaseDialect.allCases)
    func positiveRepliesReachPrompts(_ dialect: DatabaseDialect) async throws {
        try await FakeWebsite.run { site, _ in
            try await FakeModel.run { fake, base in
                fake.set { $0.responder = { body in .object(AgentTeamTests.answers[FakeModel.schemaName(body)] ?? [:]) } }
                try await TestDatabase.with(dialect) { database in
                    let seed = try await Seed.make(database, contacts: 0)
                    let first = try await ModelDraftingTests.batch(database, seed: seed, site: site, count: 2, prefix: "first")
                    _ = try await DraftGenerator(database: database, filler: ModelDraftingTests.filler(model: base, database: database)).generate(
                        batchID: first)
                    let drafted = try await ReviewQueue(database: database).page(QueueFilter(), limit: 5).emails
                    try #require(drafted.count == 2)
                    let sam = Reviewer(id: nil, name: "Sam")
                    let kept = drafted[0].body + " Un café la semaine prochaine ?"
                    _ = try await ReviewDecider(database: database).decide(.edit(body: kept), emailID: drafted[0].id, by: sam)
                    _ = try await ReviewDecider(database: database).decide(.approve, emailID: drafted[1].id, by: sam)
                    try await database.write { sql in
                        try await sql.raw(
                            """
                            UPDATE generated_emails SET status = 'sent', export_campaign_id = 'cmp-1', sent_at = 1796000000000
                            WHERE id IN (\(binds: [drafted[0].id, drafted[1].id]))
                            """
                        ).run()
                    }
                    func event(_ email: String, _ kind: OutcomeKind, _ label: InterestLabel? = nil, minutes: Int) -> OutcomeEvent {
                        OutcomeEvent(
                            vendor: "instantly", eventType: "test", kind: kind, label: label?.rawValue ?? "", campaignID: "cmp-1", leadEmail: email,
                            step: 1, occurredAt: 1_796_000_000_000 + minutes * 60_000)
                    }
                    let (a, b) = (drafted[0].contactEmail, drafted[1].contactEmail)
                    _ = try await OutcomeRecorder(database: database).record(
                        [
                            event(a, .reply, minutes: 10), event(a, .interest, .interested, minutes: 11),
                            event(b, .reply, minutes: 20), event(b, .interest, .interested, minutes: 21),
                            event(b, .interest, .notInterested, minutes: 40),
                        ], clientID: seed.clientID, source: .webhook)

                    let before = fake.requests.count
                    let second = try await ModelDraftingTests.batch(database, seed: seed, site: site, count: 1, prefix: "second", company: "Otherco")
                    _ = try await DraftGenerator(database: database, filler: ModelDraftingTests.filler(model: base, database: database)).generate(
                        batchID: second)
                    #expect(fake.requests.count > before, "the next batch asked the model")
                    for index in before..<fake.requests.count {
                        let system = fake.messages(index).first ?? ""
                        #expect(
                            system.contains("What worked: recent emails of this client whose prospect answered with interest"), "request \(index)")
                        #expect(system.contains("Un café la semaine prochaine ?"), "the email as the reviewer let it go: request \(index)")
                        #expect(
                            !system.contains(String(drafted[1].body.prefix(80)).replacingOccurrences(of: "\n", with: " "))
                                || drafted[1].body.prefix(80) == drafted[0].body.prefix(80),
                            "the lead that said no in the end is not what worked")
                    }
                    let lessons = try await database.read { sql in
                        try await ClientLessons.load(sql, clientID: seed.clientID, templateID: seed.templateID, now: TimeSource.system.nowMillis())
                    }
                    #expect(lessons.answered.count == 1 && lessons.answered[0].hasSuffix("…") == (kept.count > ClientLessons.answeredCap))
                    let otherTemplate = try await database.read { sql in
                        try await ClientLessons.load(
                            sql, clientID: seed.clientID, templateID: seed.templateID + 1000, now: TimeSource.system.nowMillis())
                    }
                    #expect(otherTemplate.answered.isEmpty, "another template's prompts do not carry them")
                }
            }
        }
    }
}
