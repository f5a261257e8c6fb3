import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import NIOCore
import SQLKit
import Testing
import GreenlightTestSupport

/// The card cache writes exactly what rendering each card through Mustache writes — cold, warm, for
/// another viewer and another page — and never serves a card for a changed email.
@Suite("Queue card cache")
struct CardCacheTests {
    /// Ten emails in every state a card shows differently, read as the queue reads them.
    static func records(_ database: Database, viewer: User, other: User, now: Int) async throws -> [EmailRecord] {
        let seed = try await Seed.make(database, contacts: 10)
        let ids = try await ReviewQueue(database: database).page(QueueFilter(status: .all)).emails.map(\.id).sorted()
        let future = now + 600_000
        let forged = "glcard0123456789abcdef01234567c"
        let changes: [SQLQueryString] = [
            "UPDATE generated_emails SET claimed_by = \(bind: other.id), claim_expires_at = \(bind: future) WHERE id = \(bind: ids[1])",
            "UPDATE generated_emails SET claimed_by = \(bind: viewer.id), claim_expires_at = \(bind: future) WHERE id = \(bind: ids[2])",
            "UPDATE generated_emails SET claimed_by = \(bind: other.id), claim_expires_at = \(bind: now - 1) WHERE id = \(bind: ids[3])",
            "UPDATE generated_emails SET status = 'approved_edited', final_body = body || ' One more line & <b>bold</b>.', reviewer_name = 'Sam \"Q\" O''Neil', reviewed_at = \(bind: now) WHERE id = \(bind: ids[4])",
            "UPDATE generated_emails SET status = 'rejected', rejection_reason = 'wrong_persona', rejection_details = '<i>not</i> the buyer & \"more\"', reviewer_name = 'Ana' WHERE id = \(bind: ids[5])",
            "UPDATE generated_emails SET status = 'sampled' WHERE id = \(bind: ids[6])",
            "UPDATE generated_emails SET body = 'Saw Verdeshop cut 40% of costs.', grounding_json = '[{\"variable\":\"case_study_insight\",\"words\":[\"Verdeshop\",\"40%\"],\"reason\":\"not in the contact or the site\"}]' WHERE id = \(bind: ids[7])",
            "UPDATE generated_emails SET status = 'sent', export_campaign_id = 'c-1', export_campaign_name = 'Q4 <push>', sequencer_lead_id = 'lead-9', sent_at = \(bind: now) WHERE id = \(bind: ids[8])",
            "UPDATE generated_emails SET body = \(bind: "Hi <script>alert(1)</script> \(forged) & bye"), subject = \(bind: forged) WHERE id = \(bind: ids[9])",
        ]
        try await database.write { sql in
            for change in changes { try await sql.raw(change).run() }
        }
        _ = seed
        return try await ReviewQueue(database: database).records(QueueFilter(status: .all), limit: 20).records.sorted { $0.id < $1.id }
    }

    /// Each card rendered through Mustache on its own, with the page's real values.
    static func expected(_ records: [EmailRecord], views: ViewRenderer, viewerID: Int, page: CardCache.PageValues) throws -> String {
        try records.map {
            try views.render(
                "review/card", CardView(try $0.summary(), viewerID: viewerID, csrf: page.csrf, returnTo: page.returnTo, now: page.shownAt))
        }.joined()
    }

    /// The cache's cards alone (the page around them is just the slot).
    static func cards(_ cache: CardCache, _ records: [EmailRecord], viewerID: Int, page: CardCache.PageValues, render: (CardView) throws -> String)
        throws -> String
    {
        String(buffer: try cache.write(records, viewerID: viewerID, page: page, around: cache.slot, render: render))
    }

    @Test("cold, warm, another viewer and another page: the same bytes as rendering each card", arguments: DatabaseDialect.allCases)
    func sameBytes(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let views = try await ViewRenderer(directory: TestDatabase.paths.views)
            let viewer = try await Seed.user(database, email: "viewer@x.example", role: .admin)
            let other = try await Seed.user(database, email: "other@x.example", role: .admin, name: "Other <One>")
            let now = TimeSource.system.nowMillis()
            let records = try await Self.records(database, viewer: viewer, other: other, now: now)
            #expect(records.count == 10)
            let cache = CardCache()
            var renders = 0
            let render: (CardView) throws -> String = {
                renders += 1; return try views.render("review/card", $0)
            }
            let first = CardCache.PageValues(csrf: "tok<&>\"'", shownAt: now, returnTo: "/review?status=all&q=<b>\"x\"&client=3")
            let cold = try Self.cards(cache, records, viewerID: viewer.id, page: first, render: render)
            #expect(cold == (try Self.expected(records, views: views, viewerID: viewer.id, page: first)))
            #expect(renders == 10)
            #expect(cold.contains("Being reviewed by Other &lt;One&gt;"), "the claim shows")
            #expect(cold.contains("&lt;script&gt;") && !cold.contains("<script>"), "email text stays escaped")
            #expect(cold.contains("glcard0123456789abcdef01234567c"), "a forged marker is kept as text")

            let warm = try Self.cards(cache, records, viewerID: viewer.id, page: first, render: render)
            #expect(warm == cold)
            #expect(renders == 10, "a warm page renders nothing")

            let second = CardCache.PageValues(csrf: "other-token", shownAt: now + 5_000, returnTo: "/review")
            let otherPage = try Self.cards(cache, records, viewerID: viewer.id, page: second, render: render)
            #expect(otherPage == (try Self.expected(records, views: views, viewerID: viewer.id, page: second)))
            #expect(renders == 10, "page values are filled in, not rendered")

            // The other user holds one claim the viewer sees as someone else's and vice versa.
            let asOther = try Self.cards(cache, records, viewerID: other.id, page: second, render: render)
            #expect(asOther == (try Self.expected(records, views: views, viewerID: other.id, page: second)))
            #expect(renders == 12, "the two cards whose claim reads differently for this viewer are rendered")

            // A decision changes the record: its card is rendered afresh, never served stale.
            try await database.write { sql in
                try await sql.raw("UPDATE generated_emails SET status = 'approved', reviewer_name = 'Ana' WHERE id = \(bind: records[0].id)").run()
            }
            let changed = try await ReviewQueue(database: database).records(QueueFilter(status: .all), limit: 20).records.sorted { $0.id < $1.id }
            let after = try Self.cards(cache, changed, viewerID: viewer.id, page: first, render: render)
            #expect(after == (try Self.expected(changed, views: views, viewerID: viewer.id, page: first)))
            #expect(after != cold)
            #expect(renders == 13)

            // The page around the slot is kept byte for byte; a page without the slot is an error.
            let around = "<main>é — before & \(cache.slot)</main> after ✓"
            let page = String(buffer: try cache.write(changed, viewerID: viewer.id, page: first, around: around, render: render))
            #expect(page == "<main>é — before & " + after + "</main> after ✓")
            #expect(throws: ConfigurationError.self) {
                try cache.write(changed, viewerID: viewer.id, page: first, around: "<main></main>", render: render)
            }
            #expect(
                String(buffer: try cache.write([], viewerID: viewer.id, page: first, around: "<p>Nothing to review here.</p>", render: render))
                    == "<p>Nothing to review here.</p>")
        }
    }

    @Test func keepsAtMostItsCapacity() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let views = try await ViewRenderer(directory: TestDatabase.paths.views)
            _ = try await Seed.make(database, contacts: 30)
            let records = try await ReviewQueue(database: database).records(QueueFilter(status: .all), limit: 30).records
            let cache = CardCache(capacity: 8)
            let page = CardCache.PageValues(csrf: "t", shownAt: 1, returnTo: "/review")
            for start in stride(from: 0, to: 30, by: 3) {
                _ = try Self.cards(cache, Array(records[start..<start + 3]), viewerID: 1, page: page) { try views.render("review/card", $0) }
                #expect(cache.count <= 8)
            }
            // The last cards used are still kept.
            var renders = 0
            _ = try Self.cards(cache, Array(records[27..<30]), viewerID: 1, page: page) {
                renders += 1; return try views.render("review/card", $0)
            }
            #expect(renders == 0)
        }
    }
}
