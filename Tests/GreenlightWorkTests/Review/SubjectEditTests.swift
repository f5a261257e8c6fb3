import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// A reviewer edits the subject as well as the text: it is what goes out, the history shows it
/// changed, and an undo puts the draft's back.
@Suite("Subject edits")
struct SubjectEditTests {
    @Test("a new subject alone is an edit: kept, in the event's diff, not a style lesson; undo clears it", arguments: DatabaseDialect.allCases)
    func subjectOnly(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            _ = try await Seed.make(database, contacts: 3)
            let sam = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            let emails = try await ReviewQueue(database: database).page(QueueFilter()).emails
            let decider = ReviewDecider(database: database)
            let email = emails[0]
            let outcome = try await decider.decide(
                .edit(body: email.body + "\n", subject: "  Quicker month-ends at \(email.companyName) "), emailID: email.id, by: sam.reviewer)
            #expect(outcome.status == .approvedEdited, "a changed subject is an edit")
            let after = try #require(try await EmailRepository(database: database).summary(id: email.id))
            #expect(after.finalSubject == "Quicker month-ends at \(email.companyName)", "trimmed")
            #expect(after.subject == email.subject, "the draft's subject is kept")
            #expect(after.finalBody == email.body, "the text stays whole, so the email counts as edited everywhere")
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM style_corrections") == 0, "the same text teaches no style")
            let event = try #require(try await EmailRepository(database: database).history(emailID: email.id).first)
            #expect(event.beforeText == "Subject: \(email.subject)\n\n\(email.body)")
            #expect(event.afterText == "Subject: Quicker month-ends at \(email.companyName)\n\n\(email.body)")

            _ = try await decider.undo(emailID: email.id, by: sam.reviewer)
            #expect(try await EmailRepository(database: database).summary(id: email.id)?.finalSubject == nil, "undo puts the draft's subject back")

            // The same subject given back is no change: an approval.
            let same = try await decider.decide(.edit(body: emails[1].body, subject: emails[1].subject), emailID: emails[1].id, by: sam.reviewer)
            #expect(same.status == .approved)
            #expect(try await EmailRepository(database: database).summary(id: emails[1].id)?.finalSubject == nil)

            // A subject that cannot be sent changes nothing.
            for bad in ["   ", "Two\nlines", String(repeating: "s", count: 301)] {
                await #expect(throws: InputError.self) {
                    _ = try await decider.decide(.edit(body: "New text.", subject: bad), emailID: emails[2].id, by: sam.reviewer)
                }
            }
            #expect(try await EmailRepository(database: database).summary(id: emails[2].id)?.status == .pendingReview)
        }
    }
}
