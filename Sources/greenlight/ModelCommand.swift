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
                var budgets = try await ledger.budgets(clientID: owner.id)
                if let hourly { budgets.hourly = try Self.amount(hourly, "--hourly") }
                if let daily { budgets.daily = try Self.amount(daily, "--daily") }
                if hourly != nil || daily != nil {
                    do { try await ledger.setBudgets(budgets, clientID: owner.id) } catch let error as InputError {
                        throw ValidationError(error.message)
                    }
                }
                func text(_ value: Double?) -> String { value.map { String(format: "$%.2f", $0) } ?? "no limit" }
                print("\(owner.name): model budget \(text(budgets.hourly)) an hour, \(text(budgets.daily)) a day")
            }
        }

        static func amount(_ text: String, _ option: String) throws -> Double? {
            if text.lowercased() == "none" { return nil }
            guard let value = Double(text.trimmingCharacters(in: CharacterSet(charactersIn: "$ "))), value >= 0 else {
                throw ValidationError("\(option): \"\(text)\" is not a dollar amount (e.g. 5 or 12.50) or \"none\"")
            }
            return value
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
