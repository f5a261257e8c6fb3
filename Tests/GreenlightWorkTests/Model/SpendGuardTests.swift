import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Logging
import SQLKit
import Testing
import GreenlightTestSupport

/// The spend guard on both databases: every call paid for before it is made, at its worst case, and
/// settled to its cost; a call the client's budget cannot take is not made, drafting stops with the
/// reason and the rest of the batch waits, pending; it goes on when the window allows or a manager
/// raises the budget; nothing is lost. Contacts drafted at once, by two instances sharing the
/// database, never take the spend past the budget (issue 28, item 3).
@Suite("Model spend guard", .timeLimit(.minutes(15)))
struct SpendGuardTests {
    /// Answers every agent; each answer reports 100 prompt and `completionTokens` answer tokens.
    static func answering(_ fake: FakeModel, completionTokens: Int = 20) {
        fake.set {
            $0.responder = { body in
                .object(AgentTeamTests.answers[FakeModel.schemaName(body)] ?? [:], promptTokens: 100, completionTokens: completionTokens)
            }
        }
    }

    static func spent(_ database: Database) async throws -> (cost: Int, calls: Int, reserved: Int) {
        try await database.read { sql in
            let row = try await sql.raw(
                """
                SELECT CAST(COALESCE(SUM(cost_microdollars), 0) AS BIGINT) AS cost, COUNT(*) AS calls,
                CAST(COALESCE(SUM(CASE WHEN outcome = 'reserved' THEN 1 ELSE 0 END), 0) AS BIGINT) AS reserved FROM model_calls
                """
            ).first()
            return (
                try row?.decode(column: "cost", as: Int.self) ?? 0, try row?.decode(column: "calls", as: Int.self) ?? 0,
                try row?.decode(column: "reserved", as: Int.self) ?? 0
            )
        }
    }

    @Test(
        "calls paid and priced; a budget that cannot take the next call stops the batch with the reason; the window or a raise lets it go on",
        arguments: DatabaseDialect.allCases)
    func budget(_ dialect: DatabaseDialect) async throws {
        try await FakeModel.run { fake, base in
            Self.answering(fake)
            try await TestDatabase.with(dialect) { database in
                let seed = try await Seed.make(database, contacts: 0)
                let clock = ManualClock()
                // Answers cost nothing to read: a call's worst case is its 600 answer tokens at $1,000 a million, $0.60; it costs $0.02.
                let settings = ModelSettings(
                    baseURL: base, apiKey: "k", smallModel: "small-1", largeModel: "large-1",
                    prices: ["small-1": .init(input: 0, output: 1_000)])
                let ledger = SpendLedger(database: database, clock: clock.source)
                let filler = ModelFiller(settings: settings, client: ChatClient(settings: settings, sleep: { _ in }), reader: nil, spend: ledger)
                // Room for one contact's four calls at their worst ($2.40) and a little more.
                try await ledger.setBudgets(.init(hourly: 2.50, daily: nil), clientID: seed.clientID)
                await #expect(throws: InputError.self) { try await ledger.setBudgets(.init(hourly: -1, daily: nil), clientID: seed.clientID) }

                // Five contacts at five companies (no cache here), four calls each.
                let csv =
                    (["first_name,last_name,email,company_name,website,industry,job_title"]
                    + (0..<5).map { "A\($0),B,p\($0)@c\($0).example,Company \($0),,Retail,CFO" })
                    .joined(separator: "\n")
                let batch = try await ContactImporter(database: database).importCSV(
                    .bytes(Array(csv.utf8)), fileName: "spend.csv", clientID: seed.clientID, templateID: seed.templateID
                ).batchID
                let generator = DraftGenerator(database: database, filler: filler)
                let first = try await generator.generate(batchID: batch)
                #expect(first.drafted == 2 && first.waiting == 3, "$0.08 spent and four calls' $2.40 fit $2.50; $0.16 and $2.40 do not: \(first)")
                #expect(
                    first.stoppedBy
                        == "the hourly model budget of $2.50 for Northwind Ledger is reached ($0.16 in the last hour, and a contact's next 4 calls may cost up to $2.40): no model calls until it allows or a manager raises it",
                    "\(first.stoppedBy ?? "")")
                let calls = try await database.read { sql in
                    try await sql.raw(
                        "SELECT agent, model, completion_tokens, cost_microdollars, reserved_microdollars, outcome FROM model_calls ORDER BY agent, id"
                    ).all()
                }
                #expect(
                    try calls.map { try $0.decode(column: "agent", as: String.self) } == [
                        "case_study", "case_study", "competitor", "competitor", "pain_point", "pain_point", "persona", "persona",
                    ],
                    "the third contact made no call")
                #expect(try calls.allSatisfy { try $0.decode(column: "reserved_microdollars", as: Int.self) == 600_000 })
                #expect(
                    try calls.allSatisfy {
                        try $0.decode(column: "cost_microdollars", as: Int.self) == 20_000 && $0.decode(column: "outcome", as: String.self) == "ok"
                    })
                let spent = try await Self.spent(database)
                #expect(spent.cost <= 2_500_000 && spent.reserved == 0, "\(spent)")
                let state = try await database.read { sql in
                    try await sql.raw("SELECT status FROM contact_batches WHERE id = \(bind: batch)").first()?.decode(
                        column: "status", as: String.self)
                }
                #expect(state == "imported", "the batch can be drafted again")
                #expect(
                    try await ledger.stopReason(clientID: seed.clientID, clientName: "Northwind Ledger", calls: 4) != nil,
                    "the page says why the rest waits")
                #expect(
                    try await ledger.stopReason(clientID: seed.clientID, clientName: "Northwind Ledger", calls: 1) == nil, "one call would still fit")

                // The hour passes: the next contacts are drafted, then the budget stops them again.
                clock.advance(by: .seconds(3_601))
                #expect(try await ledger.stopReason(clientID: seed.clientID, clientName: "Northwind Ledger", calls: 4) == nil)
                let second = try await generator.generate(batchID: batch)
                #expect(second.drafted == 2 && second.waiting == 1 && second.stoppedBy != nil, "\(second)")
                // A manager raises the budget: the rest goes through.
                try await ledger.setBudgets(.init(hourly: 100, daily: 500), clientID: seed.clientID)
                let third = try await generator.generate(batchID: batch)
                #expect(third.drafted == 1 && third.stoppedBy == nil && third.waiting == 0, "\(third)")
                let emails = try await database.read { sql in
                    try await sql.raw("SELECT COUNT(*) AS n FROM generated_emails WHERE batch_id = \(bind: batch)").first()?.decode(
                        column: "n", as: Int.self)
                }
                #expect(emails == 5, "nothing lost, nothing twice")
                let days = try await ledger.daily(clientID: seed.clientID)
                #expect(days.count >= 1 && days.first?.cost.hasPrefix("$") == true, "\(days)")
                #expect(try await ledger.budgets(clientID: seed.clientID) == .init(hourly: 100, daily: 500))
            }
        }
    }

    @Test(
        "32 contacts drafted at once by two instances sharing the database never take the spend past a budget of 20 calls' worth",
        arguments: DatabaseDialect.allCases)
    func concurrent(_ dialect: DatabaseDialect) async throws {
        try await FakeModel.run { fake, base in
            // Each call costs $0.50 of its $0.60 worst case, and the calls overlap.
            Self.answering(fake, completionTokens: 500)
            fake.set { $0.latency = .milliseconds(20) }
            try await TestDatabase.with(dialect) { database in
                let seed = try await Seed.make(database, contacts: 0)
                try await SpendLedger(database: database).setBudgets(.init(hourly: 12, daily: nil), clientID: seed.clientID)
                let batch = try await ContactImporter(database: database).importCSV(
                    .bytes(Array(Seed.csv(32, domain: "spend").utf8)), fileName: "spend.csv",
                    clientID: seed.clientID, templateID: seed.templateID, queuedAt: TimeSource.system.nowMillis()
                ).batchID
                let other = try await Database.open(database.location, logger: Logger(label: "second-instance"))
                do {
                    func worker(_ database: Database, _ owner: String) -> DraftWorker {
                        let settings = ModelSettings(
                            baseURL: base, apiKey: "k", smallModel: "small-1", largeModel: "small-1", concurrency: 64,
                            prices: ["small-1": .init(input: 0, output: 1_000)])
                        let filler = ModelFiller(
                            settings: settings, client: ChatClient(settings: settings, sleep: { _ in }), reader: nil,
                            spend: SpendLedger(database: database))
                        return DraftWorker(database: database, filler: filler, owner: owner, claimSize: 16, concurrency: 16)
                    }
                    async let a = worker(database, "a").runOnce()
                    async let b = worker(other, "b").runOnce()
                    let (one, two) = try await (a, b)
                    let spent = try await Self.spent(database)
                    #expect(spent.cost <= 12_000_000, "spent \(SpendLedger.dollars(spent.cost)) of a $12.00 budget")
                    #expect(
                        spent.calls == fake.requests.count && spent.reserved == 0,
                        "every request paid for and settled: \(spent), \(fake.requests.count) requests")
                    #expect(spent.calls >= 20, "the budget was used, not refused early: \(spent.calls) calls")
                    let counts = try await DraftWorkerTests.counts(database, batchID: batch)
                    #expect(
                        one + two == counts.emails && counts.emails + counts.pending == 32 && counts.emails >= 1,
                        "nothing lost: \(one) + \(two), \(counts)")
                } catch {
                    await other.close()
                    throw error
                }
                await other.close()
            }
        }
    }
}
