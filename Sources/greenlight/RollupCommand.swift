import ArgumentParser
import Foundation
import GreenlightWork
import GreenlightCore

/// `greenlight rollup rebuild [--client NAME]`: refills the dashboard's daily rollup from the emails
/// and review events. The log and its folds keep it in step on their own; this is for data loaded
/// around them (a bulk load with the triggers off, as `bench/seed` does) or repaired by hand.
struct RollupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollup", abstract: "Rebuild the dashboard's daily rollup from the raw records.",
        subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Empty the daily rollup (of one client, or all) and count it again, in one transaction.")

        @OptionGroup var options: DatabaseOptions
        @Option(name: .long, help: "Only this client (its name).") var client: String?

        func run() async throws {
            try await options.withDatabase { database, _, _ in
                var only: Int?
                if let client { only = try await requireClient(client, in: database).id }
                let clientID = only
                let elapsed = try await ContinuousClock().measure {
                    try await database.write { sql in try await DailyRollup.rebuild(sql, clientID: clientID) }
                }
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                print("rebuilt the daily rollup of \(client ?? "every client") in \(String(format: "%.1f", seconds)) s")
            }
        }
    }
}
