import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import HTTPTypes
import SQLKit
import Testing
import GreenlightTestSupport

/// A manager's undo is one conditional update: concurrent undos give one winner, and a decision made
/// after the undo read the email is never reset in its place.
@Suite("Undo races")
struct UndoRaceTests {
    @Test("eight managers undoing one decision at once: exactly one undo, one event", arguments: DatabaseDialect.allCases)
    func concurrentUndo(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            _ = try await Seed.make(database, contacts: 1)
            let sam = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            let boss = try await Seed.user(database, email: "boss@team.example", role: .manager, name: "Boss")
            let email = try #require(try await ReviewQueue(database: database).page(QueueFilter()).emails.first)
            let decider = ReviewDecider(database: database)
            _ = try await decider.decide(.edit(body: "A rewritten email."), emailID: email.id, by: sam.reviewer)
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        do {
                            _ = try await decider.undo(emailID: email.id, by: boss.reviewer)
                            return true
                        } catch {
                            return false
                        }
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1, "one undo wins, the others are told it changed")
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM review_events WHERE action = 'undo'") == 1)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails WHERE status = 'pending_review'") == 1)
        }
    }

    @Test("a decision made between the undo's read and its write is kept, with its style correction", arguments: DatabaseDialect.allCases)
    func decisionInBetween(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            _ = try await Seed.make(database, contacts: 1)
            let sam = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            let kim = try await Seed.user(database, email: "kim@team.example", name: "Kim")
            let boss = try await Seed.user(database, email: "boss@team.example", role: .manager, name: "Boss")
            let other = try await Seed.user(database, email: "other@team.example", role: .manager, name: "Other Manager")
            let email = try #require(try await ReviewQueue(database: database).page(QueueFilter()).emails.first)
            let decider = ReviewDecider(database: database)
            _ = try await decider.decide(.approve, emailID: email.id, by: sam.reviewer)
            // While Boss's undo is between its read and its write, another manager undoes and Kim edits it again.
            await #expect(throws: ReviewConflict.self) {
                _ = try await decider.undo(
                    emailID: email.id, by: boss.reviewer,
                    afterRead: {
                        _ = try await decider.undo(emailID: email.id, by: other.reviewer)
                        _ = try await decider.decide(.edit(body: "Kim's careful rewrite."), emailID: email.id, by: kim.reviewer)
                    })
            }
            let after = try #require(try await EmailRepository(database: database).summary(id: email.id))
            #expect(after.status == .approvedEdited, "Kim's decision stands")
            #expect(after.finalBody == "Kim's careful rewrite.")
            #expect(after.reviewerName == "Kim")
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM style_corrections") == 1, "Kim's edit still teaches the style")
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM review_events WHERE action = 'undo'") == 1)
        }
    }

    @Test("the same status decided again by someone else in between is kept too", arguments: DatabaseDialect.allCases)
    func sameStatusInBetween(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            _ = try await Seed.make(database, contacts: 1)
            let sam = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            let kim = try await Seed.user(database, email: "kim@team.example", name: "Kim")
            let boss = try await Seed.user(database, email: "boss@team.example", role: .manager, name: "Boss")
            let email = try #require(try await ReviewQueue(database: database).page(QueueFilter()).emails.first)
            let decider = ReviewDecider(database: database)
            _ = try await decider.decide(.approve, emailID: email.id, by: sam.reviewer)
            await #expect(throws: ReviewConflict.self) {
                _ = try await decider.undo(
                    emailID: email.id, by: boss.reviewer,
                    afterRead: {
                        _ = try await decider.undo(emailID: email.id, by: boss.reviewer)
                        _ = try await decider.decide(.approve, emailID: email.id, by: kim.reviewer)
                    })
            }
            let after = try #require(try await EmailRepository(database: database).summary(id: email.id))
            #expect(after.status == .approved && after.reviewerName == "Kim", "Kim's approval stands")
        }
    }
}
