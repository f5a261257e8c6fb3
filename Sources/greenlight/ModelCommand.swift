import ArgumentParser
import Foundation
import GreenlightCore
import GreenlightWork

/// `greenlight model budget|spend --client NAME`: a client's model budgets (dollars per hour and per
/// day; drafting stops with the reason once one is reached) and what it spent, day by day.
struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "A client's model budgets and spend.",
        subcommands: [Budget.self, Spend.self])

    struct Budget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show or set a client's hourly and daily model budgets, in dollars.")

        @OptionGroup var options: DatabaseOptions
        @Option(name: .long, help: "The client's name.") var client: String
        @Option(name: .long, help: "Dollars per rolling hour (\"none\": no limit).") var hourly: String?
        @Option(name: .long, help: "Dollars per rolling 24 hours (\"none\": no limit).") var daily: String?

        func run() async throws {
            try await options.withDatabase { database, _, _ in
                let owner = try await requireClient(client, in: database)
                let ledger = SpendLedger(database: database)
                let budgets: SpendLedger.Budgets
                do {
                    budgets = try await ledger.changeBudgets(
                        hourly: hourly, daily: daily, clientID: owner.id, by: nil, now: TimeSource.system.nowMillis())
                } catch let error as InputError {
                    throw ValidationError(error.message)
                }
                print("\(owner.name): model budget \(budgets.text)")
            }
        }
    }

    struct Spend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A client's model calls, tokens and cost per day (UTC).")

        @OptionGroup var options: DatabaseOptions
        @Option(name: .long, help: "The client's name.") var client: String
        @Option(name: .long, help: "How many days back (default 7).") var days = 7

        func run() async throws {
            try await options.withDatabase { database, _, _ in
                let owner = try await requireClient(client, in: database)
                let rows = try await SpendLedger(database: database).daily(clientID: owner.id, days: max(1, days))
                guard !rows.isEmpty else {
                    print("\(owner.name): no model call in the last \(days) days")
                    return
                }
                print("day         calls   tokens      cost")
                for row in rows {
                    print("\(row.day)  \(String(row.calls).leftPadded(5))  \(String(row.tokens).leftPadded(7))  \(row.cost.leftPadded(8))")
                }
            }
        }
    }
}

extension String {
    /// The text right-aligned in `width` columns.
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
