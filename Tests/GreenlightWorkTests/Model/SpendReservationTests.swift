import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// Each request to the model is paid for before it is sent (issue 28, item 3): its worst case — the
/// request's bytes as prompt tokens and `max_tokens` as the answer, at the price table — is reserved
/// in the spend ledger, refused when it would pass a budget, and settled to the answer's tokens. A
/// request the server refused with a status costs nothing; one that got no answer in time keeps its
/// reservation, as a provider may bill it.
@Suite("Model calls paid before they are made", .timeLimit(.minutes(15)))
struct SpendReservationTests {
    static let question = [ChatMessage.user("Who buys call routing at Deltaship?")]
    static let schema = ChatClientTests.schema

    /// One row of the ledger, as a test compares it.
    struct Row: Equatable, CustomStringConvertible {
        var agent: String
        var outcome: String
        var cost: Int
        var reserved: Int
        var promptTokens: Int
        var completionTokens: Int
        var description: String { "\(agent) \(outcome) \(cost)/\(reserved) \(promptTokens)+\(completionTokens)" }
    }

    static func rows(_ database: Database) async throws -> [Row] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT agent, outcome, cost_microdollars, reserved_microdollars, prompt_tokens, completion_tokens FROM model_calls ORDER BY id
                """
            ).all().map { row in
                Row(
                    agent: try row.decode(column: "agent", as: String.self), outcome: try row.decode(column: "outcome", as: String.self),
                    cost: try row.decode(column: "cost_microdollars", as: Int.self),
                    reserved: try row.decode(column: "reserved_microdollars", as: Int.self),
                    promptTokens: try row.decode(column: "prompt_tokens", as: Int.self),
                    completionTokens: try row.decode(column: "completion_tokens", as: Int.self))
            }
        }
    }

    @Test(
        "a request reserves its worst case and settles to its tokens; a status refusal costs nothing; a budget refuses the request it cannot take, to the microdollar; a lost answer keeps its reservation",
        arguments: DatabaseDialect.allCases)
    func reservations(_ dialect: DatabaseDialect) async throws {
        try await FakeModel.run { fake, base in
            try await TestDatabase.with(dialect) { database in
                let seed = try await Seed.make(database, contacts: 0)
                let settings = ModelSettings(
                    baseURL: base, apiKey: "k", smallModel: "small-1", largeModel: "small-1", prices: ["small-1": .init(input: 3, output: 15)])
                let ledger = SpendLedger(database: database)
                let meter = CallMeter(ledger: ledger, settings: settings, clientID: seed.clientID, clientName: "Northwind Ledger", batchID: nil)
                    .named("persona")
                let client = ChatClient(settings: settings, sleep: { _ in })
                let bytes = try #require(
                    ChatClient.body(
                        model: "small-1", messages: Self.question, schema: Self.schema, mode: .jsonSchema, maxTokens: 600, temperature: 0.2)
                ).count
                let worst = SpendLedger.micro(settings.cost(model: "small-1", promptTokens: bytes, completionTokens: 600))
                let paid = SpendLedger.micro(settings.cost(model: "small-1", promptTokens: 1_000, completionTokens: 50))
                #expect(worst > paid && paid > 0, "\(worst) \(paid)")

                // A 500, then the answer: the 500 is settled at nothing, the answer at its tokens; both held the worst case first.
                fake.queue(.status(500), .object(["target_persona": "cfo", "confidence": 5], promptTokens: 1_000, completionTokens: 50))
                let answer = try await client.complete(model: "small-1", messages: Self.question, schema: Self.schema, meter: meter)
                #expect(answer.object["target_persona"] == "cfo" && answer.requests == 2)
                #expect(
                    try await Self.rows(database) == [
                        Row(agent: "persona", outcome: "failed", cost: 0, reserved: worst, promptTokens: 0, completionTokens: 0),
                        Row(agent: "persona", outcome: "ok", cost: paid, reserved: worst, promptTokens: 1_000, completionTokens: 50),
                    ])

                // A budget one microdollar short of the worst case refuses the request before it is sent; exactly enough lets it go.
                let spent = try await ledger.spent(clientID: seed.clientID, since: 0)
                #expect(spent == paid)
                try await ledger.setBudgets(.init(hourly: Double(spent + worst - 1) / 1_000_000, daily: nil), clientID: seed.clientID)
                let before = fake.requests.count
                let refused = await #expect(throws: ModelError.self) {
                    try await client.complete(model: "small-1", messages: Self.question, schema: Self.schema, meter: meter)
                }
                guard case .budgetReached(let reason) = refused else { Issue.record("not a budget refusal: \(String(describing: refused))"); return }
                #expect(reason.hasPrefix("the hourly model budget of ") && reason.contains(" for Northwind Ledger is reached ("), "\(reason)")
                let rowsAfterRefusal = try await Self.rows(database).count
                #expect(fake.requests.count == before && rowsAfterRefusal == 2, "nothing sent, nothing reserved")
                #expect(
                    try await ledger.stopReason(clientID: seed.clientID, clientName: "Northwind Ledger") != nil,
                    "the dearest call of the day does not fit: the client's jobs say why they wait")
                try await ledger.setBudgets(.init(hourly: Double(spent + worst) / 1_000_000, daily: nil), clientID: seed.clientID)
                #expect(try await ledger.stopReason(clientID: seed.clientID, clientName: "Northwind Ledger") == nil)
                fake.queue(.object(["target_persona": "coo", "confidence": 4], promptTokens: 1_000, completionTokens: 50))
                _ = try await client.complete(model: "small-1", messages: Self.question, schema: Self.schema, meter: meter)
                try await ledger.setBudgets(.init(hourly: nil, daily: 0), clientID: seed.clientID)
                await #expect(throws: ModelError.self, "a budget of 0 allows no call") {
                    try await client.complete(model: "small-1", messages: Self.question, schema: Self.schema, meter: meter)
                }
                try await ledger.setBudgets(.init(hourly: nil, daily: nil), clientID: seed.clientID)

                // No server at all: nothing was sent, nothing is billed.
                let nowhere = ChatClient(
                    settings: ModelSettings(
                        baseURL: "http://127.0.0.1:9/v1", smallModel: "small-1", largeModel: "small-1",
                        prices: settings.prices), maxRetries: 0, sleep: { _ in })
                await #expect(throws: ModelError.self) {
                    try await nowhere.complete(model: "small-1", messages: Self.question, schema: Self.schema, meter: meter)
                }
                #expect(
                    try await Self.rows(database).last
                        == Row(agent: "persona", outcome: "failed", cost: 0, reserved: worst, promptTokens: 0, completionTokens: 0))

                // Last (a request given up on may reach the fake later): no answer in time, twice — each keeps its worst case.
                fake.set { $0.otherwise = .silence }
                var short = settings
                short.timeout = .milliseconds(300)
                let impatient = ChatClient(settings: short, maxRetries: 1, sleep: { _ in })
                await #expect(throws: ModelError.self) {
                    try await impatient.complete(model: "small-1", messages: Self.question, schema: Self.schema, meter: meter)
                }
                let lost = Array(try await Self.rows(database).suffix(2))
                #expect(
                    lost
                        == Array(
                            repeating: Row(agent: "persona", outcome: "failed", cost: worst, reserved: worst, promptTokens: 0, completionTokens: 0),
                            count: 2),
                    "\(lost)")
                #expect(try await ledger.spent(clientID: seed.clientID, since: 0) == 2 * paid + 2 * worst)
            }
        }
    }
}
