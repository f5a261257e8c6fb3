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

/// Review time comes from the reviewer's claim or a plausible `shown_at`; a form cannot make one up.
@Suite("Review time")
struct ReviewTimeTests {
    @Test("shown_at in the future, over a day old or at the ends of the integer range is ignored, never a 500", arguments: DatabaseDialect.allCases)
    func implausibleShownAt(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            _ = try await Seed.make(database, contacts: 6)
            _ = try await Seed.user(database, email: "sam@team.example")
            var web = WebClient(client)
            _ = try await web.login("sam@team.example")
            let ids = try await ReviewQueue(database: database).page(QueueFilter()).emails.map(\.id)
            let now = TimeSource.system.nowMillis()
            let hostile = [String(Int.min), String(Int.max), String(now + 3_600_000), String(now - 2 * 86_400_000), "-9223372036854775808"]
            for (id, shownAt) in zip(ids, hostile) {
                let page = try await web.post("/review/\(id)/approve", [("shown_at", shownAt)], headers: [.accept: "application/json"])
                #expect(page.status == .ok, "shown_at=\(shownAt) answered \(page.status.code)")
                let json = try page.json()
                #expect(json["review_ms"] == nil || json["review_ms"] is NSNull, "shown_at=\(shownAt) made up a review time: \(json)")
            }
            let honest = try await web.post(
                "/review/\(ids[5])/approve", [("shown_at", String(TimeSource.system.nowMillis() - 7_000))], headers: [.accept: "application/json"])
            let reviewMilliseconds = try #require(try honest.json()["review_ms"] as? Int)
            #expect(reviewMilliseconds >= 7_000 && reviewMilliseconds < 60_000)
        }
    }

    @Test(
        "the review time is exactly the app clock's now minus shown_at: one clock for the page, the decision and the claim",
        arguments: DatabaseDialect.allCases)
    func exactFromTheAppClock(_ dialect: DatabaseDialect) async throws {
        let clock = ManualClock()
        try await withApp(dialect, clock: clock) { database, client in
            _ = try await Seed.make(database, contacts: 2)
            _ = try await Seed.user(database, email: "sam@team.example")
            var web = WebClient(client)
            _ = try await web.login("sam@team.example")
            let ids = try await ReviewQueue(database: database).page(QueueFilter()).emails.map(\.id)
            // The queue page's shown_at is the app clock's now.
            let queue = try await web.request("/review")
            #expect(queue.text.contains("name=\"shown_at\" value=\"\(clock.nowMillis)\""))
            let shownAt = clock.nowMillis
            clock.advance(by: .milliseconds(7_250))
            let approved = try await web.post("/review/\(ids[0])/approve", [("shown_at", String(shownAt))], headers: [.accept: "application/json"])
            #expect(try approved.json()["review_ms"] as? Int == 7_250)
            // Opening the card claims it at the app clock's now; the decision counts from the claim.
            _ = try await web.request("/review/\(ids[1])")
            clock.advance(by: .seconds(12))
            let edited = try await web.post(
                "/review/\(ids[1])/reject", [("reason", "other"), ("shown_at", String(shownAt))], headers: [.accept: "application/json"])
            #expect(try edited.json()["review_ms"] as? Int == 12_000)
            let reviewedAt = try await database.read { sql in
                try await sql.raw("SELECT reviewed_at FROM generated_emails WHERE id = \(bind: ids[1])").first()?.decode(
                    column: "reviewed_at", as: Int.self)
            }
            #expect(reviewedAt == clock.nowMillis, "decided at the app clock's now")
        }
    }
}
