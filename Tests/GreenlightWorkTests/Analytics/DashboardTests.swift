import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import HTTPTypes
import SQLKit
import Testing
import GreenlightTestSupport

/// The dashboard's figures equal a hand count of the decisions made, on both databases; managers see
/// the team, SDRs only themselves; the CSV downloads cannot run a formula from a reviewer's name.
@Suite("Dashboard")
struct DashboardTests {
    @Test("figures match a hand count: totals, rates, reasons, reviewers, rubber stamps, histogram", arguments: DatabaseDialect.allCases)
    func handCount(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 10)
            let sam = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            let kim = try await Seed.user(database, email: "kim@team.example", name: "=HYPERLINK(\"http://evil.example\")")
            _ = try await Seed.user(database, email: "boss@team.example", role: .manager, name: "Boss")
            let ids = try await ReviewQueue(database: database).page(QueueFilter()).emails.map(\.id)
            let decider = ReviewDecider(database: database)
            let now = TimeSource.system.nowMillis()
            // Sam: 3 approvals (one in 2 s: a rubber stamp), 1 edit, 2 rejections; Kim: 2 approvals, 1 edit, 1 rejection.
            _ = try await decider.decide(.approve, emailID: ids[0], by: sam.reviewer, shownAt: now - 2_000)
            _ = try await decider.decide(.approve, emailID: ids[1], by: sam.reviewer, shownAt: now - 30_000)
            _ = try await decider.decide(.approve, emailID: ids[2], by: sam.reviewer, shownAt: now - 40_000)
            _ = try await decider.decide(.edit(body: "Shorter."), emailID: ids[3], by: sam.reviewer, shownAt: now - 90_000)
            _ = try await decider.decide(.reject(reason: .toneTooCorporate, details: nil), emailID: ids[4], by: sam.reviewer, shownAt: now - 20_000)
            _ = try await decider.decide(.reject(reason: .toneTooCorporate, details: nil), emailID: ids[5], by: sam.reviewer, shownAt: now - 20_000)
            _ = try await decider.decide(.approve, emailID: ids[6], by: kim.reviewer, shownAt: now - 10_000)
            _ = try await decider.decide(.approve, emailID: ids[7], by: kim.reviewer, shownAt: now - 10_000)
            _ = try await decider.decide(.edit(body: "Rewritten."), emailID: ids[8], by: kim.reviewer, shownAt: now - 60_000)
            _ = try await decider.decide(.reject(reason: .other, details: nil), emailID: ids[9], by: kim.reviewer, shownAt: now - 20_000)

            // Review times as a reviewer would have taken them, set exactly (the decisions above ran on the wall clock).
            for (id, milliseconds) in zip(ids, [2_000, 30_000, 40_000, 90_000, 20_000, 20_000, 10_000, 10_000, 60_000, 20_000]) {
                try await database.write { sql in
                    try await sql.raw("UPDATE generated_emails SET review_ms = \(bind: milliseconds) WHERE id = \(bind: id)").run()
                }
            }
            let range = try DashboardRange(from: nil, to: nil, now: TimeSource.system.nowMillis())
            let figures = try await DashboardFigures.read(database, range: range, clientIDs: nil, now: TimeSource.system.nowMillis())
            #expect(figures.generated == 10)
            #expect(figures.byStatus == ["approved": 5, "approved_edited": 2, "rejected": 3])
            #expect(figures.decisions == .init(approved: 5, edited: 2, rejected: 3))
            #expect(figures.approvalRate == 0.7 && figures.editRate == 0.2 && figures.rejectionRate == 0.3)
            #expect(figures.reasons.map(\.reason) == ["tone_too_corporate", "other"] && figures.reasons.map(\.count) == [2, 1])
            #expect(figures.histogram.reduce(0, +) == 10)
            let samRow = try #require(figures.reviewers.first { $0.name == "Sam" })
            #expect(samRow.decisions == .init(approved: 3, edited: 1, rejected: 2) && samRow.fastApprovals == 1 && samRow.today == 6)
            let kimRow = try #require(figures.reviewers.first { $0.name != "Sam" })
            #expect(kimRow.decisions == .init(approved: 2, edited: 1, rejected: 1) && kimRow.fastApprovals == 0 && kimRow.longestApproveStreak == 2)
            // Review times (seconds): 2, 30, 40, 90, 20, 20, 10, 10, 60, 20 → mean 30.2; sorted, the lower
            // median (5th of 10) is 20, in the 20–30 s bucket; buckets 0–3: 1, 10–15: 2, 20–30: 3, 30–45: 2, 60–90: 1, 90–120: 1.
            #expect(abs((figures.averageReviewSeconds ?? 0) - 30.2) < 0.05)
            #expect(figures.medianReviewBand == .init(low: 20, high: 30))
            #expect(figures.reviewTimes == [1, 0, 0, 2, 0, 3, 2, 0, 1, 1, 0, 0, 0, 0, 0])
            #expect(samRow.longestApproveStreak == 3)
            // An undone decision leaves the figures, as a recount would.
            _ = try await decider.undo(emailID: ids[9], by: sam.reviewer)
            #expect(
                try await DashboardFigures.read(database, range: range, clientIDs: nil, now: TimeSource.system.nowMillis()).decisions
                    == .init(approved: 5, edited: 2, rejected: 2))

            var boss = WebClient(client)
            _ = try await boss.login("boss@team.example")
            let page = try await boss.request("/dashboard")
            #expect(page.status == .ok)
            #expect(page.text.contains("<th scope=\"row\">Approval rate (edits included)</th><td>77.8%</td>"))
            // "Are we OK?": the queue, today's decisions, and the rates against the rollout targets — the rollout page's own figures.
            #expect(
                page.text.contains(
                    "<strong>Watch: Northwind Ledger&#39;s approval rate (77.8%) is not above 95.0% and its edit rate (22.2%) is not below 5.0% over the last 30 days. 1 rubber-stamp alert below.</strong>"
                ))
            #expect(
                page.text.contains("<li><strong>1</strong> awaiting review now")
                    && page.text.contains("<li><strong>9</strong> decided by people today"))
            #expect(page.text.contains("<td data-label=\"Approval\">77.8% <span class=\"target\">target &gt; 95.0%</span>"))
            let rollout = try await boss.request("/clients/\(seed.clientID)/rollout").text
            #expect(rollout.contains("<td data-label=\"Value\">77.8%</td>"), "the rollout page says the same approval rate")
            #expect(
                page.text.contains("in under 5 seconds (")
                    && page.text.contains("<a href=\"/review?status=reviewed&amp;reviewer=\(sam.id)\">See their decisions</a>"))
            let samsDecisions = try await boss.request("/review?status=reviewed&reviewer=\(sam.id)").text
            #expect(
                WebClient.allMatches(#"aria-label="Quality score (\d+) of 100"#, in: samsDecisions).count == 6,
                "the alert's link lists Sam's six decisions")
            #expect(samsDecisions.contains("<input type=\"hidden\" name=\"reviewer\" value=\"\(sam.id)\">"), "and the filters keep it")
            #expect(
                page.text.contains("<img src=\"/dashboard/chart?chart=reasons&amp;from=")
                    && page.text.contains("alt=\"Bar chart of Rejections by Reason.") && page.text.contains("Tone too corporate: 2"))
            let chart = try await boss.request("/dashboard/chart?chart=reasons")
            #expect(chart.status == .ok && chart.headers[.contentType]?.hasPrefix("image/svg+xml") == true)
            #expect(
                chart.text.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && chart.text.contains("role=\"img\"")
                    && !chart.text.contains("style="))
            for name in ["histogram", "review-times"] {
                let full = try await boss.request("/dashboard/chart?chart=\(name)").text
                let empty = try await boss.request("/dashboard/chart?chart=\(name)&from=2020-01-01&to=2020-01-31").text
                #expect(
                    !full.contains("No data") && empty.contains("No data") && !empty.contains("class=\"chart-bar\""),
                    "\(name): a range without drafts says so")
            }
            #expect(page.text.contains("Sam approved 1 email in under 5 seconds ("))
            let csv = try await boss.request("/dashboard/csv?table=reviewers")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(
                csv.text.contains("'=HYPERLINK") && !csv.text.contains(",=HYPERLINK") && !csv.text.contains("\n=HYPERLINK"),
                "a name cannot run as a formula: \(csv.text)")
            #expect(try await boss.request("/dashboard/csv?table=nope").status == .unprocessableContent)
            #expect(try await boss.request("/dashboard?from=2026-13-01").status == .unprocessableContent)

            // The same figures as JSON, for a manager session and for an API key of the client (by name).
            let api = try await boss.request("/api/v1/analytics").json()
            #expect(
                (api["totals"] as? [String: Int]) == [
                    "generated": 10, "pending_review": 1, "approved": 5, "approved_edited": 2, "approved_auto": 0,
                    "sampled": 0, "rejected": 2, "sent": 0,
                ])
            #expect(
                abs(((api["rates"] as? [String: Any])?["approval"] as? Double ?? 0) - 7.0 / 9.0) < 1e-9, "after the undo: 7 of 9 decisions approved")
            #expect((api["rejection_reasons"] as? [[String: Any]])?.first?["reason"] as? String == "tone_too_corporate")
            #expect((api["reviewers"] as? [[String: Any]])?.count == 2 && (api["score_histogram"] as? [Any])?.count == 10 && api["weeks"] is [Any])
            let key = try await APIKeyRepository(database: database).create(clientID: seed.clientID, name: "clay")
            let keyed = try await boss.request("/api/v1/analytics?client=Northwind%20Ledger", headers: [.authorization: "Bearer \(key)"])
            let keyedJSON = try keyed.json()
            #expect(keyed.status == .ok && (keyedJSON["totals"] as? [String: Int])?["generated"] == 10)
            #expect(try await boss.request("/api/v1/analytics?client=Nobody", headers: [.authorization: "Bearer \(key)"]).status == .notFound)
            #expect(try await boss.request("/api/v1/analytics?from=yesterday").status == .unprocessableContent)

            var sdr = WebClient(client)
            _ = try await sdr.login("sam@team.example")
            let own = try await sdr.request("/dashboard")
            #expect(own.status == .ok && own.text.contains("Your progress") && own.text.contains("<td data-label=\"Reviewer\">Sam</td>"))
            #expect(!own.text.contains("HYPERLINK") && !own.text.contains("Quality scores"), "an SDR sees only their own figures")
        }
    }
}
