import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightWeb
import HTTPTypes
import Testing
import GreenlightTestSupport

/// "What converts" through the app on both databases, over ``OutcomeFixtures`` (46 sent emails with
/// hand-counted outcomes): the dashboard section (tables with headers, the score-band chart, the
/// evidence rule), its CSV and chart downloads, `GET /api/v1/outcomes` for a manager, an SDR and an
/// API key, and the SDR-own rule everywhere.
@Suite("What converts: dashboard, CSV and API")
struct WhatConvertsTests {
    static let range = "from=\(OutcomeFixtures.from)&to=\(OutcomeFixtures.to)"

    @Test("the dashboard section: every breakdown's table, the chart, not enough evidence below 20 sent", arguments: DatabaseDialect.allCases)
    func dashboard(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let fixtures = try await OutcomeFixtures.make(database)
            var boss = WebClient(client)
            _ = try await boss.login("boss@team.example")
            let page = try await boss.request("/dashboard?\(Self.range)")
            #expect(page.status == .ok)
            let text = page.text
            #expect(text.contains("<h2 id=\"converts-title\">What converts, 2026-11-02 to 2026-11-29</h2>"))
            #expect(text.contains("<td data-label=\"Sent\">46</td><td data-label=\"Reply rate\">19.6% (10.7%–33.2%), 9 of 46</td>"))
            for dimension in OutcomeDimension.allCases {
                #expect(text.contains("<h3 id=\"converts-\(dimension.rawValue)\">"), "\(dimension) has a table")
                #expect(
                    text.contains(
                        "<a href=\"/dashboard/csv?table=outcomes&amp;by=\(dimension.rawValue)&amp;\(Self.range.replacingOccurrences(of: "&", with: "&amp;"))"
                    ),
                    "\(dimension) has a CSV link")
            }
            #expect(text.contains("<th scope=\"col\">Score band</th><th scope=\"col\">Sent</th><th scope=\"col\">Reply rate</th>"))
            #expect(
                text.contains(
                    "<th scope=\"row\" data-label=\"Score band\">70–79</th><td data-label=\"Sent\">30</td><td data-label=\"Reply rate\">20.0% (9.5%–37.3%), 6 of 30</td>"
                        + "<td data-label=\"Positive reply rate\">10.0% (3.5%–25.6%), 3 of 30</td>"))
            #expect(
                text.contains(
                    "<th scope=\"row\" data-label=\"Score band\">90–100</th><td data-label=\"Sent\">16</td><td data-label=\"Reply rate\">not enough evidence yet (3 of 16 sent)</td>"
                ))
            #expect(text.contains("<img src=\"/dashboard/chart?chart=outcomes&amp;by=score-band&amp;"))
            #expect(text.contains("alt=\"Line chart of Share of emails sent by Score band. Reply: 70–79 20.0%; Positive reply: 70–79 10.0%.\""))
            #expect(text.contains("not enough evidence yet (12 auto-approved and 34 human-approved emails sent; 20 of each are needed)"))
            #expect(text.contains("<th scope=\"row\" data-label=\"Reviewer\">Kim</th><td data-label=\"Sent\">4</td>"))
            #expect(!text.contains("{{"), "no template tag left unrendered")

            var sam = WebClient(client)
            _ = try await sam.login("sam@team.example")
            let own = try await sam.request("/dashboard?\(Self.range)").text
            #expect(own.contains("The emails you approved that were sent in the range"))
            #expect(own.contains("<td data-label=\"Sent\">30</td><td data-label=\"Reply rate\">20.0% (9.5%–37.3%), 6 of 30</td>"))
            #expect(!own.contains(">Kim</th>"), "an SDR sees only their own emails")
            _ = fixtures
        }
    }

    @Test("CSV of each breakdown and the score-band chart, for the same viewer; unknown breakdowns refused", arguments: DatabaseDialect.allCases)
    func downloads(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            _ = try await OutcomeFixtures.make(database)
            var boss = WebClient(client)
            _ = try await boss.login("boss@team.example")
            let csv = try await boss.request("/dashboard/csv?table=outcomes&by=score-band&\(Self.range)")
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.headers[.contentDisposition]?.contains("greenlight-outcomes-score-band-2026-11-02-2026-11-29.csv") == true)
            let lines = csv.text.dropFirst().split(separator: "\r\n").map(String.init)
            #expect(lines.first == OutcomeDownloads.header.joined(separator: ","))
            #expect(lines.dropFirst().first == "70–79,30,yes,6,0.2,0.0951,0.3731,3,0.1,0.0346,0.2562,2,0.0667,0.0185,0.2132,1,0.0333,0.0059,0.1667")
            #expect(lines.count == 3 && lines[2].hasPrefix("90–100,16,no,3,"))
            let weeks = try await boss.request("/dashboard/csv?table=outcomes&by=week&\(Self.range)").text
            #expect(weeks.contains("\r\n2026-11-02,31,yes,") && weeks.contains("\r\n2026-11-23,0,no,0,,0.0,1.0,"))

            var sam = WebClient(client)
            _ = try await sam.login("sam@team.example")
            let own = try await sam.request("/dashboard/csv?table=outcomes&by=approval&\(Self.range)").text
            #expect(own.contains("\r\nhuman-approved,30,yes,6,") && !own.contains("auto-approved"), "\(own)")

            let chart = try await boss.request("/dashboard/chart?chart=outcomes&by=score-band&\(Self.range)")
            #expect(chart.status == .ok && chart.headers[.contentType]?.hasPrefix("image/svg+xml") == true)
            #expect(
                chart.text.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && chart.text.contains("70–79") && !chart.text.contains("style="))
            #expect(try await boss.request("/dashboard/chart?chart=outcomes&by=template").status == .unprocessableContent)
            #expect(try await boss.request("/dashboard/csv?table=outcomes&by=opens").status == .unprocessableContent)
        }
    }

    @Test("GET /api/v1/outcomes: a manager's clients, an SDR's own emails, an API key's client", arguments: DatabaseDialect.allCases)
    func api(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let fixtures = try await OutcomeFixtures.make(database)
            var boss = WebClient(client)
            _ = try await boss.login("boss@team.example")
            let answer = try await boss.request("/api/v1/outcomes?\(Self.range)")
            #expect(answer.status == .ok)
            let json = try JSONValue.parse(answer.text)
            #expect(json["minimum_sent"]?.number == 20 && json["from"]?.string == "2026-11-02")
            #expect(json["overall"]?["sent"]?.number == 46 && json["overall"]?["reply"]?["count"]?.number == 9)
            #expect(abs((json["overall"]?["reply"]?["low"]?.number ?? 0) - 0.1065) < 0.00005)
            let breakdowns = json["breakdowns"]?.array ?? []
            #expect(breakdowns.compactMap { $0["by"]?.string } == OutcomeDimension.allCases.map(\.rawValue))
            let bands = breakdowns.first { $0["by"]?.string == "score-band" }?["groups"]?.array ?? []
            #expect(bands.compactMap { $0["group"]?.string } == ["70–79", "90–100"])
            #expect(bands.map { $0["enough_evidence"] } == [.bool(true), .bool(false)])
            #expect(bands.first?["positive_reply"]?["count"]?.number == 3)
            let difference = json["auto_versus_human_positive_reply"]
            #expect(difference?["auto_sent"]?.number == 12 && difference?["human_sent"]?.number == 34)
            #expect(abs((difference?["difference"]?.number ?? 0) + 0.0343) < 0.00005)

            var sam = WebClient(client)
            _ = try await sam.login("sam@team.example")
            let own = try JSONValue.parse(try await sam.request("/api/v1/outcomes?\(Self.range)").text)
            #expect(own["overall"]?["sent"]?.number == 30)

            let key = try await APIKeyRepository(database: database).create(clientID: fixtures.seed.clientID, name: "clay")
            var script = WebClient(client)
            let keyed = try await script.request(
                "/api/v1/outcomes?client=Northwind%20Ledger&\(Self.range)", headers: [.authorization: "Bearer \(key)"])
            let keyedJSON = try JSONValue.parse(keyed.text)
            #expect(keyed.status == .ok && keyedJSON["overall"]?["sent"]?.number == 46)
            let other = try await Seed.make(database, contacts: 0, clientName: "Other client")
            #expect(
                try await script.request("/api/v1/outcomes?client=\(other.clientID)", headers: [.authorization: "Bearer \(key)"]).status
                    == .notFound)
            #expect(try await boss.request("/api/v1/outcomes?from=yesterday").status == .unprocessableContent)
            var stranger = WebClient(client)
            #expect(try await stranger.request("/api/v1/outcomes").status == .unauthorized)
        }
    }
}
