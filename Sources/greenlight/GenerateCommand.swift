import ArgumentParser
import GreenlightWork

/// `greenlight generate --batch ID`: drafts the emails of a batch's pending contacts.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "Draft the emails of a batch's pending contacts.")

    @OptionGroup var options: DatabaseOptions
    @Option(name: .long, help: "The batch id printed by `greenlight import`.") var batch: Int

    func run() async throws {
        try await options.withDatabase { database, _, _ in
            let summary = try await DraftGenerator(database: database, filler: try DraftFillers.fromEnvironment(database: database)).generate(
                batchID: batch)
            print(
                "Batch \(summary.batchID): drafted \(summary.drafted) emails\(summary.failed > 0 ? ", \(summary.failed) failed" : "").\(summary.cacheLine)"
            )
            if let stop = summary.stoppedBy {
                print(
                    "Stopped: \(stop). \(summary.waiting) contacts wait: `greenlight generate --batch \(summary.batchID)` drafts them when the budget allows."
                )
            }
        }
    }
}
