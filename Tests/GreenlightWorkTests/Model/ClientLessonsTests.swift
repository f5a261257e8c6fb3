import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Testing
import GreenlightTestSupport

/// What reviewers do in the queue becomes the next prompts' lessons, on both databases: an edit as
/// a trimmed before/after pair, a rejection reason with its details as a mistake to avoid.
@Suite("Client lessons")
struct ClientLessonsTests {
    @Test("an edit and a rejection made in the queue reach every agent's prompt", arguments: DatabaseDialect.allCases)
    func fromTheQueue(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 6)
            let emails = try await ReviewQueue(database: database).page(QueueFilter(), limit: 3).emails
            let decider = ReviewDecider(database: database)
            let sam = Reviewer(id: nil, name: "Sam")
            let original = emails[0].body
            let words = original.split(separator: " ")
            let edited = (words.prefix(20) + ["(rewritten", "by", "Sam", "plainly)"] + words.dropFirst(22)).joined(separator: " ")
            _ = try await decider.decide(.edit(body: edited), emailID: emails[0].id, by: sam)
            _ = try await decider.decide(.reject(reason: .toneTooCorporate, details: "reads like a brochure"), emailID: emails[1].id, by: sam)
            _ = try await decider.decide(.reject(reason: .toneTooCorporate, details: nil), emailID: emails[2].id, by: sam)

            let lessons = try await database.read { sql in
                try await ClientLessons.load(sql, clientID: seed.clientID, now: TimeSource.system.nowMillis())
            }
            let correction = try #require(lessons.corrections.first)
            #expect(correction.after.contains("(rewritten by Sam plainly)") && !correction.before.contains("rewritten"))
            #expect(correction.before.count < original.count, "trimmed to the changed passage, not the whole email: \(correction)")
            #expect(lessons.mistakes == [.init(reason: "tone_too_corporate", count: 2, details: ["reads like a brochure"])])
            let later = try await database.read { sql in
                try await ClientLessons.load(sql, clientID: seed.clientID, now: TimeSource.system.nowMillis() + 31 * 86_400_000)
            }
            #expect(
                later.mistakes.isEmpty && later.corrections.count == 1, "rejections count for 30 days; corrections are the latest, whatever their age"
            )

            let messages = AgentPrompt.messages(.persona, try AgentTeamTests.input(lessons: lessons), earlier: [:])
            #expect(
                messages[0].content.contains("→ \"\(correction.after)\"")
                    && messages[0].content.contains("- tone too corporate (2×): \"reads like a brochure\""))
        }
    }

    @Test("the changed passage with some words around it")
    func trimming() {
        let before = String(repeating: "word ", count: 50) + "our innovative platform saves time " + String(repeating: "tail ", count: 50)
        let after = String(repeating: "word ", count: 50) + "our tool saves time " + String(repeating: "tail ", count: 50)
        let pair = ClientLessons.changedPassage(before, after, context: 20)
        #expect(pair.before.hasPrefix("…") && pair.before.hasSuffix("…") && pair.before.contains("our innovative platform saves time"))
        #expect(pair.after.contains("our tool saves time") && pair.after.count < 80, "\(pair)")
        #expect(ClientLessons.changedPassage("short", "short and more") == .init(before: "short", after: "short and more"))
    }
}
