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

/// A reviewer takes back their own decision until it is exported (a manager, anyone's), and the
/// queue says how far they are: "N done today · M left", then "All done".
@Suite("Review undo and progress")
struct ReviewUndoTests {
    static let json: HTTPFields = [.accept: "application/json"]

    @Test(
        "an SDR undoes their own decision, not another's, not the gate's, not a sent one; a manager undoes any", arguments: DatabaseDialect.allCases)
    func ownDecisions(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            _ = try await Seed.make(database, contacts: 6)
            _ = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            _ = try await Seed.user(database, email: "kim@team.example", name: "Kim")
            _ = try await Seed.user(database, email: "boss@team.example", role: .manager, name: "Boss")
            let ids = try await ReviewPageTests.pendingIDs(database)
            var sam = WebClient(client)
            _ = try await sam.login("sam@team.example")
            var kim = WebClient(client)
            _ = try await kim.login("kim@team.example")

            // Sam approves, with the plain form: the queue's message offers to undo it, and the undo leads back there.
            let approved = try await sam.post("/review/\(ids[0])/approve", [("return_to", "/review?min_score=0")])
            #expect(approved.status == .seeOther)
            let queue = try await sam.request("/review?min_score=0")
            #expect(queue.text.contains("Email #\(ids[0]) approved."))
            #expect(queue.text.contains("action=\"/review/\(ids[0])/undo\""), "the message after a decision has an Undo")
            #expect(
                !(try await sam.request("/review?min_score=0")).text.contains("action=\"/review/\(ids[0])/undo\""),
                "once: the next page has no message")

            // Kim may not take Sam's decision back; nothing changes.
            let kims = try await kim.post("/review/\(ids[0])/undo", headers: Self.json)
            #expect(kims.status == .conflict)
            #expect(kims.text.contains("you can undo only your own"))
            #expect(try await EmailRepository(database: database).summary(id: ids[0])?.status == .approved)
            #expect(!(try await kim.request("/review/\(ids[0])")).text.contains("Undo this decision"), "and her page of it offers no undo")

            // A decided card offers its undo to the one who decided it, and to nobody else (the card cache keeps them apart).
            let samsList = try await sam.request("/review?status=reviewed")
            let kimsList = try await kim.request("/review?status=reviewed")
            #expect(samsList.text.contains("Undo my decision"))
            #expect(!kimsList.text.contains("Undo my decision"))

            let undone = try await sam.post("/review/\(ids[0])/undo", [("return_to", "/review?min_score=0")])
            #expect(undone.status == .seeOther)
            #expect(undone.location == "/review?min_score=0")
            #expect(try await EmailRepository(database: database).summary(id: ids[0])?.status == .pendingReview)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM review_events WHERE action = 'undo'") == 1)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'undo'") == 1)

            // In place (JSON), as the queue's script does.
            _ = try await sam.post("/review/\(ids[1])/reject", [("reason", "low_quality")], headers: Self.json)
            let inPlace = try await sam.post("/review/\(ids[1])/undo", headers: Self.json)
            #expect(inPlace.status == .ok)
            #expect(try inPlace.json()["status"] as? String == "pending_review")
            #expect(
                try await Seed.count(
                    database,
                    "SELECT COUNT(*) AS n FROM generated_emails WHERE id = \(ids[1]) AND rejection_reason IS NULL AND status = 'pending_review'") == 1
            )

            // The gate's approval and a sent email are not Sam's to take back.
            try await database.write { sql in
                try await sql.raw("UPDATE generated_emails SET status = 'approved_auto', reviewed_at = 1 WHERE id = \(bind: ids[2])").run()
            }
            let auto = try await sam.post("/review/\(ids[2])/undo", headers: Self.json)
            #expect(auto.status == .conflict)
            #expect(auto.text.contains("approved by the rollout gate"))
            _ = try await sam.post("/review/\(ids[3])/approve")
            try await database.write { sql in
                try await sql.raw("UPDATE generated_emails SET status = 'sent' WHERE id = \(bind: ids[3])").run()
            }
            let sent = try await sam.post("/review/\(ids[3])/undo", headers: Self.json)
            #expect(sent.status == .conflict)
            #expect(sent.text.contains("already sent"))

            // A manager undoes anyone's decision.
            _ = try await kim.post("/review/\(ids[4])/approve")
            var boss = WebClient(client)
            _ = try await boss.login("boss@team.example")
            #expect(try await boss.request("/review/\(ids[4])").text.contains("Undo this decision"))
            #expect(try await boss.post("/review/\(ids[4])/undo").status == .seeOther)
            #expect(try await EmailRepository(database: database).summary(id: ids[4])?.status == .pendingReview)
        }
    }

    @Test("the queue says what the reviewer did today and what is left, and says when all is done", arguments: DatabaseDialect.allCases)
    func progress(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            _ = try await Seed.make(database, contacts: 4)
            _ = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            _ = try await Seed.user(database, email: "kim@team.example", name: "Kim")
            let ids = try await ReviewPageTests.pendingIDs(database)
            #expect(ids.count == 4)
            var sam = WebClient(client)
            _ = try await sam.login("sam@team.example")
            var kim = WebClient(client)
            _ = try await kim.login("kim@team.example")
            #expect(Self.progress(try await sam.request("/review").text) == ["0", "4"])

            _ = try await sam.post("/review/\(ids[0])/approve")
            _ = try await sam.post("/review/\(ids[1])/reject", [("reason", "other")])
            _ = try await kim.post("/review/\(ids[2])/approve")
            #expect(Self.progress(try await sam.request("/review").text) == ["2", "1"], "Sam's own two; Kim's decision leaves one")
            #expect(Self.progress(try await kim.request("/review").text) == ["1", "1"])
            // Whatever the list shows, "left" is what awaits review.
            #expect(Self.progress(try await sam.request("/review?status=all").text) == ["2", "1"])

            _ = try await sam.post("/review/\(ids[0])/undo")
            #expect(Self.progress(try await sam.request("/review").text) == ["1", "2"], "an undone decision no longer counts")

            // A decision of yesterday (in the client's time zone) is not today's.
            try await database.write { sql in
                try await sql.raw("UPDATE generated_emails SET reviewed_at = reviewed_at - \(bind: 2 * 86_400_000) WHERE id = \(bind: ids[1])").run()
            }
            #expect(Self.progress(try await sam.request("/review").text) == ["0", "2"])

            _ = try await sam.post("/review/\(ids[0])/approve")
            _ = try await sam.post("/review/\(ids[3])/approve")
            let done = try await sam.request("/review")
            #expect(Self.progress(done.text) == ["2", "0"])
            #expect(done.text.contains("<strong>All done.</strong> Nothing awaits review."))
            #expect(try await sam.request("/review?status=rejected&min_score=100").text.contains("Nothing here with these filters."))
        }
    }

    @Test("the queue's cards: the text once with its variables marked in words, deductions in view, only the first open without script")
    func cardMarkup() async throws {
        try await withApp(.sqlite) { database, client in
            _ = try await Seed.make(database, contacts: 3)
            _ = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            var sam = WebClient(client)
            _ = try await sam.login("sam@team.example")
            let page = try await sam.request("/review").text
            #expect(page.contains("<mark class=\"var var-"), "agent variables are marked in the text")
            #expect(
                page.range(of: #"<span class="var-tag"> [a-z_]+, (high|medium|low) confidence</span></mark>"#, options: .regularExpression) != nil,
                "each mark says its variable and confidence in words")
            #expect(!page.contains("<details class=\"body\""), "the text is not folded away")
            #expect(page.contains("<ul class=\"deductions\""), "the deductions are on the card, not in a fold")
            #expect(page.contains("class=\"card actionable\""))
            #expect(page.contains("Read the whole email to decide"))
            #expect(page.contains("data-awaiting=\"true\""))
            // Bulk reject needs a reason (the browser keeps the selection); bulk approve does not.
            #expect(page.contains("<select id=\"bulk-reason\" name=\"reason\" required>"))
            #expect(page.contains("value=\"approve\" formnovalidate"))
            // The status filter speaks the cards' words.
            #expect(page.contains(">Awaiting review</option>") && !page.contains("Pending review"))
            #expect(page.contains("<span class=\"status\">awaiting review</span>"))

            // Edit opens the email's page with its editor open, subject included; otherwise the editor is folded.
            let id = try #require(try await ReviewPageTests.pendingIDs(database).first)
            #expect(try await sam.request("/review/\(id)?edit=1").text.contains("<details class=\"edit\" id=\"edit\" open>"))
            let plain = try await sam.request("/review/\(id)").text
            #expect(plain.contains("<details class=\"edit\" id=\"edit\">") && plain.contains("name=\"subject\""))
            let email = try #require(try await EmailRepository(database: database).summary(id: id))
            let saved = try await sam.post(
                "/review/\(id)/edit", [("subject", "A sharper subject"), ("body", email.body + "\n\nP.S. One more line.")])
            #expect(saved.status == .seeOther)
            let reviewed = try await sam.request("/review?status=reviewed").text
            #expect(
                reviewed.contains("<span class=\"label\">Subject</span> <span class=\"subject-text\">A sharper subject</span>"),
                "the card shows the subject that will go")
            #expect(reviewed.contains("<ins>A sharper subject</ins>") || reviewed.contains("<ins>A sharper</ins>"), "and its change")
            #expect(reviewed.contains("P.S. One more line.</ins>"))
            #expect(reviewed.contains("…"), "only the changed passages, with a few words around them")
            let bad = try await sam.post(
                "/review/\(try await ReviewPageTests.pendingIDs(database)[0])/edit", [("subject", "Two\nlines"), ("body", "Text.")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("the subject is one line"))
        }
    }

    /// The numbers of the progress line: done today, left.
    static func progress(_ html: String) -> [String] {
        let done = html.firstMatch(#"<span id="done-today">([^<]*)</span>"#)
        let left = html.firstMatch(#"<span id="left" data-count="\d+">([^<]*)</span>"#)
        return [done ?? "?", left ?? "?"]
    }
}

private extension String {
    func firstMatch(_ pattern: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: self, range: NSRange(startIndex..., in: self)),
            let range = Range(match.range(at: 1), in: self)
        else { return nil }
        return String(self[range])
    }
}
