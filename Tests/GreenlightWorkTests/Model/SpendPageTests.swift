import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Testing
import GreenlightTestSupport

/// The client page shows the model spend per day and the budgets; the managers' dashboard each
/// client's spend in its range.
@Suite("Model spend on the client page and the dashboard", .timeLimit(.minutes(15)))
struct SpendPageTests {
    @Test("spend per day and the budgets", arguments: DatabaseDialect.allCases)
    func page(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 0)
            _ = try await Seed.user(database, email: "boss@team.example", role: .manager, name: "Boss")
            var boss = WebClient(client)
            _ = try await boss.login("boss@team.example")
            let before = try await boss.request("/clients/\(seed.clientID)")
            #expect(before.text.contains("No model call in the last 7 days.") && before.text.contains("Budget: no limit an hour, no limit a day"))

            let ledger = SpendLedger(database: database)
            let settings = ModelSettings(
                baseURL: "http://127.0.0.1:9/v1", smallModel: "small-1", largeModel: "small-1", prices: ["small-1": .init(input: 2, output: 8)])
            let answered = try await ledger.reserve(
                .init(
                    clientID: seed.clientID, clientName: "Northwind Ledger", batchID: nil, agent: "persona", model: "small-1",
                    worstMicrodollars: 900_000))
            let cost = SpendLedger.micro(settings.cost(model: "small-1", promptTokens: 50_000, completionTokens: 2_500))
            try await ledger.settle(answered, promptTokens: 50_000, completionTokens: 2_500, cost: cost, latencyMs: 800, outcome: "ok")
            let refused = try await ledger.reserve(
                .init(
                    clientID: seed.clientID, clientName: "Northwind Ledger", batchID: nil, agent: "competitor", model: "small-1",
                    worstMicrodollars: 900_000))
            try await ledger.settle(refused, promptTokens: 0, completionTokens: 0, cost: 0, latencyMs: 60_000, outcome: "failed")
            try await ledger.setBudgets(.init(hourly: 5, daily: 40), clientID: seed.clientID)
            let after = try await boss.request("/clients/\(seed.clientID)")
            let today = LocalDay.of(millis: TimeSource.system.nowMillis(), timeZone: "UTC")
            #expect(after.text.contains("<td>\(today)</td><td>2</td><td>52500</td><td>$0.12</td>"), "50,000 × $2 + 2,500 × $8 per million = $0.12")
            #expect(after.text.contains("Budget: $5.00 an hour, $40.00 a day"))

            let dashboard = try await boss.request("/dashboard")
            #expect(
                dashboard.text.contains(
                    "<td data-label=\"Client\"><a href=\"/clients/\(seed.clientID)\">Northwind Ledger</a></td><td data-label=\"Model calls\">2</td><td data-label=\"Tokens\">52,500</td><td data-label=\"Cost\">$0.12</td>"
                ), "\(dashboard.text)")
            let yesterday = LocalDay.of(millis: TimeSource.system.nowMillis() - 86_400_000, timeZone: "UTC")
            let earlier = try await boss.request("/dashboard?from=\(yesterday)&to=\(yesterday)")
            #expect(earlier.text.contains("No model call in this range."), "the range bounds the spend")
        }
    }
}
