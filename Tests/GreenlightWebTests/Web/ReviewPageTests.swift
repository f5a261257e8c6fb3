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

@Suite("Review pages")
struct ReviewPageTests {
    static func pendingIDs(_ database: Database) async throws -> [Int] {
        try await ReviewQueue(database: database).page(QueueFilter(), limit: 200).emails.map(\.id)
    }

    @Test("the queue lists the worst score first, escapes what users wrote, and pages by cursor", arguments: DatabaseDialect.allCases)
    func queuePage(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 60)
            try await Seed.spreadScores(database)
            let xss = "<script>alert(1)</script>"
            try await database.write { sql in
                try await sql.raw(
                    "UPDATE generated_emails SET contact_name = \(bind: xss), company_name = \(bind: "<img src=x onerror=alert(2)>") WHERE quality_score = 0"
                ).run()
            }
            _ = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            var web = WebClient(client)
            _ = try await web.login("sam@team.example")
            let page = try await web.request("/review")
            #expect(page.status == .ok)
            let scores = WebClient.allMatches(#"aria-label="Quality score (\d+) of 100"#, in: page.text).compactMap(Int.init)
            #expect(scores.count == 50)
            #expect(scores == scores.sorted())
            #expect(scores.first == 0)
            #expect(page.text.contains(#"class="count">60 emails<"#), "the header counts the queue")
            let searched = try await web.request("/review?q=company")
            #expect(searched.text.contains(#"class="count">50 or more emails<"#), "a searched page is not counted, it says there are more")
            #expect(!page.text.contains(xss) && page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!page.text.contains("<img src=x"))
            let missing = try await web.request("/review/999999")
            #expect(
                missing.status == .notFound && missing.text.contains("email 999999 was not found") && missing.text.contains(">Log out<"),
                "an error page keeps the signed-in menu")
            let style = try await web.request("/css/app.css")
            #expect(style.status == .ok && style.text.contains(".diff"), "files are still served to a signed-in user")
            #expect(try await web.request("/no-such-page").status == .notFound)
            let forbidden = try await web.request("/audit")
            #expect(forbidden.status == .forbidden && forbidden.text.contains(">Log out<"), "so does a refusal")
            #expect(
                page.text.contains("level 1: the contact&#39;s own row") && !page.text.contains("found on the company&#39;s site"),
                "the CSV's fields say they are the contact's own, not found on a site no one read")
            #expect(page.text.components(separatedBy: "<p class=\"note\">").count == 51, "every draft made without a model says so")
            let first = try #require(try await Self.pendingIDs(database).first)
            try await database.write { sql in try await sql.raw("UPDATE generated_emails SET generation_note = '' WHERE id = \(bind: first)").run() }
            let noNote = try await web.request("/review")
            #expect(
                noNote.text.components(separatedBy: "<p class=\"note\">").count == 50 && !noNote.text.contains("<p class=\"note\"></p>"),
                "a draft without a note shows no empty note")
            let next = try #require(WebClient.firstMatch(#"href="([^"]*)" rel="next""#, in: page.text))
            let second = try await web.request(next.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(WebClient.allMatches(#"aria-label="Quality score (\d+) of 100"#, in: second.text).count == 10)
            let filtered = try await web.request("/review?client=\(seed.clientID)&min_score=90&q=company")
            let filteredScores = WebClient.allMatches(#"aria-label="Quality score (\d+) of 100"#, in: filtered.text).compactMap(Int.init)
            #expect(!filteredScores.isEmpty && filteredScores.allSatisfy { $0 >= 90 })
            #expect(filtered.text.contains(#"value="90""#), "filters stay in the form")
            let bad = try await web.request("/review?min_score=lots")
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("min_score must be a score from 0 to 100"))
        }
    }

    @Test("forms approve, edit and reject; without the CSRF token nothing changes", arguments: DatabaseDialect.allCases)
    func formActions(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            _ = try await Seed.make(database, contacts: 10)
            _ = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            _ = try await Seed.user(database, email: "kim@team.example", name: "Kim")
            let ids = try await Self.pendingIDs(database)
            var sam = WebClient(client)
            _ = try await sam.login("sam@team.example")

            for action in ["approve", "edit", "reject"] {
                let forged = try await sam.post("/review/\(ids[0])/\(action)", [("body", "x"), ("reason", "other")], csrf: false)
                #expect(forged.status == .forbidden, "\(action) without token")
                var wrong = sam
                wrong.csrf = "forged-token"
                #expect(try await wrong.post("/review/\(ids[0])/\(action)", [("body", "x"), ("reason", "other")]).status == .forbidden)
            }
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM review_events") == 0)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails WHERE status <> 'pending_review'") == 0)

            let approved = try await sam.post(
                "/review/\(ids[0])/approve", [("shown_at", String(TimeSource.system.nowMillis() - 3_000)), ("return_to", "/review?q=x")])
            #expect(approved.status == .seeOther)
            #expect(approved.location == "/review?q=x")
            let notice = try await sam.request("/review?q=x")
            #expect(notice.text.contains("Email #\(ids[0]) approved."))

            let edited = try await sam.post("/review/\(ids[1])/edit", [("body", "Hi Ada,\n\nA shorter, warmer note.\n\nHannah")])
            #expect(edited.status == .seeOther)
            let noReason = try await sam.post("/review/\(ids[2])/reject", [("details", "meh")])
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.text.contains("choose a rejection reason"))
            let rejected = try await sam.post("/review/\(ids[2])/reject", [("reason", "wrong_persona"), ("details", "<b>not a CFO</b>")])
            #expect(rejected.status == .seeOther)

            var statuses: [(String, Int?)] = []
            for id in ids.prefix(3) {
                let row = try await database.read { sql in
                    try await sql.raw("SELECT status, review_ms FROM generated_emails WHERE id = \(bind: id)").first()
                }
                statuses.append((try row!.decode(column: "status", as: String.self), try row!.decode(column: "review_ms", as: Int?.self)))
            }
            #expect(statuses.map(\.0) == ["approved", "approved_edited", "rejected"])
            #expect((statuses[0].1 ?? 0) >= 3_000)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM style_corrections") == 1)

            var kim = WebClient(client)
            _ = try await kim.login("kim@team.example")
            let conflict = try await kim.post("/review/\(ids[0])/approve")
            #expect(conflict.status == .conflict)
            #expect(conflict.text.contains("already reviewed by Sam"))
            let conflictJSON = try await kim.post("/review/\(ids[0])/reject", [("reason", "other")], headers: [.accept: "application/json"])
            #expect(conflictJSON.status == .conflict)
            #expect(((try conflictJSON.json()["error"] as? [String: Any])?["message"] as? String)?.contains("Sam") == true)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM review_events") == 3)

            let emailPage = try await kim.request("/review/\(ids[1])")
            #expect(emailPage.text.contains("<ins>"), "the edit shows as a word diff")
            #expect(emailPage.text.contains("approved with edits by Sam"))
            let rejectedPage = try await kim.request("/review/\(ids[2])")
            #expect(rejectedPage.text.contains("&lt;b&gt;not a CFO&lt;/b&gt;"))
        }
    }

    @Test("opening a card claims it; others see who has it", arguments: DatabaseDialect.allCases)
    func claimsInPages(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            _ = try await Seed.make(database, contacts: 3)
            _ = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            _ = try await Seed.user(database, email: "kim@team.example", name: "Kim")
            let id = try await Self.pendingIDs(database)[0]
            var sam = WebClient(client)
            _ = try await sam.login("sam@team.example")
            var kim = WebClient(client)
            _ = try await kim.login("kim@team.example")
            #expect(try await sam.request("/review/\(id)").status == .ok)
            let kimsView = try await kim.request("/review/\(id)")
            #expect(kimsView.text.contains("Being reviewed by Sam"))
            #expect(!kimsView.text.contains("/review/\(id)/approve"), "no actions on a card someone else has open")
            let queue = try await kim.request("/review")
            #expect(queue.text.contains("Being reviewed by Sam"))
            let blocked = try await kim.post("/review/\(id)/approve", headers: [.accept: "application/json"])
            #expect(blocked.status == .conflict)
            let claim = try await sam.request(
                "/review/\(id)/claim", method: .post, headers: [.accept: "application/json", CSRFHeader.name: sam.csrf])
            #expect(claim.status == .ok, "the page renews its own claim")
            #expect(try await sam.post("/review/\(id)/approve").status == .seeOther)
        }
    }

    @Test("bulk approve and reject act on each selected email", arguments: DatabaseDialect.allCases)
    func bulk(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            _ = try await Seed.make(database, contacts: 8)
            _ = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            let ids = try await Self.pendingIDs(database)
            var sam = WebClient(client)
            _ = try await sam.login("sam@team.example")
            _ = try await sam.post("/review/\(ids[0])/approve")
            let five = ids.prefix(5).map { ("ids[]", String($0)) }
            let approved = try await sam.post("/review/bulk", five + [("action", "approve")])
            #expect(approved.status == .seeOther)
            let notice = try await sam.request("/review")
            #expect(notice.text.contains("Approved 4 emails. Skipped 1: #\(ids[0]) already reviewed by Sam"))
            #expect(notice.text.contains("id=\"bulk\""), "the bulk form is there while emails await review")
            let reviewed = try await sam.request("/review?status=reviewed")
            #expect(reviewed.text.contains("#\(ids[0])") && !reviewed.text.contains("id=\"bulk\""), "and not where nothing can be selected")
            let noReason = try await sam.post("/review/bulk", [("ids[]", String(ids[6])), ("action", "reject")])
            #expect(noReason.status == .unprocessableContent)
            _ = try await sam.post(
                "/review/bulk", [("ids[]", String(ids[6])), ("ids[]", String(ids[7])), ("action", "reject"), ("reason", "low_quality")])
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails WHERE status = 'approved'") == 5)
            #expect(
                try await Seed.count(
                    database, "SELECT COUNT(*) AS n FROM generated_emails WHERE status = 'rejected' AND rejection_reason = 'low_quality'") == 2)
        }
    }

    @Test("oversized bodies answer 413 and change nothing", arguments: DatabaseDialect.allCases)
    func oversized(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            _ = try await Seed.make(database, contacts: 1)
            _ = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            let id = try await Self.pendingIDs(database)[0]
            var sam = WebClient(client)
            _ = try await sam.login("sam@team.example")
            let huge = String(repeating: "word ", count: 400_000)
            let page = try await sam.post("/review/\(id)/edit", [("body", huge)])
            #expect(page.status == .contentTooLarge)
            #expect(page.text.contains("larger than"))
            let json = try await sam.request(
                "/api/v1/emails/\(id)/edit", method: .post, headers: [CSRFHeader.name: sam.csrf, .contentType: "application/json"],
                body: "{\"body\": \"\(huge)\"}")
            #expect(json.status == .contentTooLarge)
            #expect(try await EmailRepository(database: database).summary(id: id)?.status == .pendingReview)
        }
    }
}

enum CSRFHeader {
    static let name = HTTPField.Name("X-CSRF-Token")!
}
