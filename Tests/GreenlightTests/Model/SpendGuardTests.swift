import Foundation
@testable import Greenlight
import SQLKit
import Testing

/// The spend guard on both databases: every call recorded with its tokens, cost and outcome; once a
/// client's hourly budget is reached drafting stops with the reason and the rest of the batch waits,
/// pending; it goes on when the window allows or a manager raises the budget; nothing is lost.
@Suite("Model spend guard", .timeLimit(.minutes(5)))
struct SpendGuardTests {
    @Test("calls recorded and priced; a budget reached stops the batch with the reason; the window or a raise lets it go on", arguments: DatabaseDialect.allCases)
    func budget(_ dialect: DatabaseDialect) async throws {
        try await FakeModel.run { fake, base in
            fake.set { $0.responder = { body in .object(AgentTeamTests.answers[FakeModel.schemaName(body)] ?? [:]) } }
            try await TestDatabase.with(dialect) { database in
                let seed = try await Seed.make(database, contacts: 0)
                let clock = ManualClock()
                let settings = ModelSettings(baseURL: base, apiKey: "k", smallModel: "small-1", largeModel: "large-1",
                                             prices: ["small-1": .init(input: 1_000, output: 1_000)])
                let ledger = SpendLedger(database: database, clock: clock.source)
                let filler = ModelFiller(settings: settings, client: ChatClient(settings: settings, sleep: { _ in }), reader: nil, spend: ledger)
                try await ledger.setBudgets(.init(hourly: 0.30, daily: nil), clientID: seed.clientID)
                await #expect(throws: InputError.self) { try await ledger.setBudgets(.init(hourly: -1, daily: nil), clientID: seed.clientID) }

                // Five contacts at five companies (no cache here): each costs 4 calls × (100 + 20 tokens) at $1,000 per million = $0.48.
                let csv = (["first_name,last_name,email,company_name,website,industry,job_title"] + (0..<5).map { "A\($0),B,p\($0)@c\($0).example,Company \($0),,Retail,CFO" })
                    .joined(separator: "\n")
                let batch = try await ContactImporter(database: database).importCSV(.bytes(Array(csv.utf8)), fileName: "spend.csv", clientID: seed.clientID, templateID: seed.templateID).batchID
                let generator = DraftGenerator(database: database, filler: filler)
                let first = try await generator.generate(batchID: batch)
                #expect(first.drafted == 1 && first.waiting == 4, "\(first)")
                #expect(first.stoppedBy == "the hourly model budget of $0.30 for Northwind Ledger is reached ($0.48 in the last hour): no model calls until it allows or a manager raises it")
                let calls = try await database.read { sql in
                    try await sql.raw("SELECT agent, model, prompt_tokens, completion_tokens, cost_microdollars, outcome FROM model_calls ORDER BY agent").all()
                }
                #expect(try calls.map { try $0.decode(column: "agent", as: String.self) } == ["case_study", "competitor", "pain_point", "persona"])
                #expect(try calls.allSatisfy { try $0.decode(column: "cost_microdollars", as: Int.self) == 120_000 && $0.decode(column: "outcome", as: String.self) == "ok" })
                let state = try await database.read { sql in
                    try await sql.raw("SELECT status FROM contact_batches WHERE id = \(bind: batch)").first()?.decode(column: "status", as: String.self)
                }
                #expect(state == "imported", "the batch can be drafted again")

                // The hour passes: the next contact is drafted, then the budget stops it again.
                clock.advance(by: .seconds(3_601))
                let second = try await generator.generate(batchID: batch)
                #expect(second.drafted == 1 && second.waiting == 3 && second.stoppedBy != nil, "\(second)")
                // A manager raises the budget: the rest goes through.
                try await ledger.setBudgets(.init(hourly: 100, daily: 500), clientID: seed.clientID)
                let third = try await generator.generate(batchID: batch)
                #expect(third.drafted == 3 && third.stoppedBy == nil && third.waiting == 0, "\(third)")
                let emails = try await database.read { sql in
                    try await sql.raw("SELECT COUNT(*) AS n FROM generated_emails WHERE batch_id = \(bind: batch)").first()?.decode(column: "n", as: Int.self)
                }
                #expect(emails == 5, "nothing lost, nothing twice")
                let days = try await ledger.daily(clientID: seed.clientID)
                #expect(days.count >= 1 && days.map(\.calls).reduce(0, +) == 20 && days.first?.cost.hasPrefix("$") == true, "\(days)")
                #expect(try await ledger.budgets(clientID: seed.clientID) == .init(hourly: 100, daily: 500))
            }
        }
    }
}
