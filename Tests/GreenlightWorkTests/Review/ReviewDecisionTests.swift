import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

@Suite("Review decisions and claims")
struct ReviewDecisionTests {
    @Test("approve, edit and reject change the status, time the review and write an event", arguments: DatabaseDialect.allCases)
    func decisions(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            _ = try await Seed.make(database, contacts: 3)
            let sam = try await Seed.user(database, email: "sam@team.example", name: "Sam Reviewer")
            let ids = try await ReviewQueue(database: database).page(QueueFilter()).emails.map(\.id)
            let decider = ReviewDecider(database: database)
            let shownAt = TimeSource.system.nowMillis() - 4_000
            let approved = try await decider.decide(.approve, emailID: ids[0], by: sam.reviewer, shownAt: shownAt)
            #expect(approved.status == .approved)
            #expect((approved.reviewMilliseconds ?? 0) >= 4_000)

            let original = try #require(try await EmailRepository(database: database).summary(id: ids[1])).body
            let editedText = "Hi there,\n\n" + original + "\n\nP.S. a short note."
            let edited = try await decider.decide(.edit(body: editedText), emailID: ids[1], by: sam.reviewer, shownAt: shownAt)
            #expect(edited.status == .approvedEdited)
            let rejected = try await decider.decide(
                .reject(reason: .toneTooCorporate, details: "  too stiff  "), emailID: ids[2], by: sam.reviewer, shownAt: shownAt)
            #expect(rejected.status == .rejected)

            let editedEmail = try #require(try await EmailRepository(database: database).summary(id: ids[1]))
            #expect(editedEmail.finalBody == editedText)
            #expect(editedEmail.body == original, "the draft is kept as generated")
            #expect(editedEmail.reviewerName == "Sam Reviewer")
            let rejectedEmail = try #require(try await EmailRepository(database: database).summary(id: ids[2]))
            #expect(rejectedEmail.rejectionReason == .toneTooCorporate)
            #expect(rejectedEmail.rejectionDetails == "too stiff")
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM review_events") == 3)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails WHERE review_ms >= 4000") == 3)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM style_corrections") == 1)
            let correction = try await database.read { sql in try await sql.raw("SELECT original, edited FROM style_corrections").first() }
            #expect(try correction?.decode(column: "original", as: String.self) == original)
            #expect(try correction?.decode(column: "edited", as: String.self) == editedText)
            let history = try await EmailRepository(database: database).history(emailID: ids[1])
            #expect(history.map(\.action) == ["edit"])
            #expect(history[0].beforeText == original && history[0].afterText == editedText)
        }
    }

    @Test("an edit that leaves the draft as it was is an approval, with no style correction", arguments: DatabaseDialect.allCases)
    func unchangedEdit(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            _ = try await Seed.make(database, contacts: 1)
            let sam = try await Seed.user(database, email: "sam@team.example", name: "Sam Reviewer")
            let email = try #require(try await ReviewQueue(database: database).page(QueueFilter()).emails.first)
            let outcome = try await ReviewDecider(database: database).decide(
                .edit(body: "\n  " + email.body + "  \n"), emailID: email.id, by: sam.reviewer)
            #expect(outcome.status == .approved)
            #expect(try await EmailRepository(database: database).summary(id: email.id)?.finalBody == nil)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM style_corrections") == 0)
            #expect(try await EmailRepository(database: database).history(emailID: email.id).map(\.action) == ["approve"])
        }
    }

    @Test("acting on a decided email is a conflict naming the reviewer, and changes nothing", arguments: DatabaseDialect.allCases)
    func secondDecisionConflicts(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            _ = try await Seed.make(database, contacts: 1)
            let sam = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            let kim = try await Seed.user(database, email: "kim@team.example", name: "Kim")
            let id = try #require(try await ReviewQueue(database: database).page(QueueFilter()).emails.first?.id)
            let decider = ReviewDecider(database: database)
            _ = try await decider.decide(.approve, emailID: id, by: sam.reviewer)
            for decision in [ReviewDecision.approve, .edit(body: "New text"), .reject(reason: .other, details: nil)] {
                await #expect(throws: ReviewConflict.alreadyReviewed(by: "Sam", status: .approved)) {
                    _ = try await decider.decide(decision, emailID: id, by: kim.reviewer)
                }
            }
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM review_events") == 1)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM style_corrections") == 0)
            #expect(try await EmailRepository(database: database).summary(id: id)?.status == .approved)
            await #expect(throws: NotFound.self) { _ = try await decider.decide(.approve, emailID: 999_999, by: kim.reviewer) }
            await #expect(throws: InputError.self) { _ = try await decider.decide(.edit(body: "   "), emailID: id, by: kim.reviewer) }
        }
    }

    @Test("sixteen reviewers racing on one email produce one decision", arguments: DatabaseDialect.allCases)
    func race(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            _ = try await Seed.make(database, contacts: 1)
            var reviewers: [Reviewer] = []
            for index in 0..<16 { reviewers.append(try await Seed.user(database, email: "r\(index)@team.example").reviewer) }
            let id = try #require(try await ReviewQueue(database: database).page(QueueFilter()).emails.first?.id)
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for reviewer in reviewers {
                    group.addTask {
                        do {
                            _ = try await ReviewDecider(database: database).decide(.approve, emailID: id, by: reviewer)
                            return true
                        } catch {
                            return false
                        }
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM review_events") == 1)
        }
    }

    @Test("a claimed card is skipped by others until its lease expires", arguments: DatabaseDialect.allCases)
    func claims(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            _ = try await Seed.make(database, contacts: 1)
            let sam = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            let kim = try await Seed.user(database, email: "kim@team.example", name: "Kim")
            let id = try #require(try await ReviewQueue(database: database).page(QueueFilter()).emails.first?.id)
            let claims = ClaimStore(database: database)
            let now = TimeSource.system.nowMillis()
            try await claims.claim(emailID: id, by: sam.reviewer, now: now)
            try await claims.claim(emailID: id, by: sam.reviewer, now: now + 1_000)
            await #expect(throws: ReviewConflict.beingReviewed(by: "Sam")) { try await claims.claim(emailID: id, by: kim.reviewer, now: now + 2_000) }
            await #expect(throws: ReviewConflict.beingReviewed(by: "Sam")) {
                _ = try await ReviewDecider(database: database).decide(.approve, emailID: id, by: kim.reviewer)
            }
            let listed = try #require(try await ReviewQueue(database: database).page(QueueFilter()).emails.first)
            #expect(listed.claimedByName == "Sam")
            try await claims.claim(emailID: id, by: kim.reviewer, now: now + ClaimStore.lease + 5_000)
            let outcome = try await ReviewDecider(database: database).decide(.approve, emailID: id, by: kim.reviewer)
            #expect(outcome.status == .approved)
            #expect(outcome.reviewMilliseconds != nil, "the claim start times the review")
            await #expect(throws: ReviewConflict.alreadyReviewed(by: "Kim", status: .approved)) {
                try await claims.claim(emailID: id, by: sam.reviewer, now: TimeSource.system.nowMillis())
            }
        }
    }

    @Test("a manager's undo puts the email back and forgets its style correction", arguments: DatabaseDialect.allCases)
    func undo(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            _ = try await Seed.make(database, contacts: 1)
            let sam = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            let boss = try await Seed.user(database, email: "boss@team.example", role: .manager, name: "Boss")
            let id = try #require(try await ReviewQueue(database: database).page(QueueFilter()).emails.first?.id)
            let decider = ReviewDecider(database: database)
            _ = try await decider.decide(.edit(body: "Short new text."), emailID: id, by: sam.reviewer)
            _ = try await decider.undo(emailID: id, by: boss.reviewer)
            let email = try #require(try await EmailRepository(database: database).summary(id: id))
            #expect(email.status == .pendingReview && email.finalBody == nil && email.reviewerName == nil)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM style_corrections") == 0)
            #expect(try await EmailRepository(database: database).history(emailID: id).map(\.action) == ["edit", "undo"])
            await #expect(throws: ReviewConflict.self) { _ = try await decider.undo(emailID: id, by: boss.reviewer) }
        }
    }
}
