import ArgumentParser
import Foundation
import GreenlightCore
import GreenlightWork

/// `greenlight import FILE --client NAME --template NAME`: imports contacts and drafts them.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import a contact CSV for a client and template, then draft its emails.")

    @OptionGroup var options: DatabaseOptions
    @Argument(help: "The CSV file.") var file: String
    @Option(name: .long, help: "The client's name.") var client: String
    @Option(name: .long, help: "The template's name.") var template: String
    @Flag(name: .long, help: "Import only; draft later with `greenlight generate --batch ID`.") var noGenerate = false
    @Flag(name: .long, help: "Import, then leave the drafting to the background workers of `greenlight serve`.") var queue = false

    func run() async throws {
        guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("cannot read \(file)") }
        try await options.withDatabase { database, _, _ in
            let owner = try await requireClient(client, in: database)
            guard let chosen = try await TemplateRepository(database: database).find(name: template, clientID: owner.id) else {
                let names = try await TemplateRepository(database: database).all(clientID: owner.id).map(\.template.name)
                throw ValidationError(
                    "client \(owner.name) has no template named \"\(template)\"; templates: \(names.isEmpty ? "none yet" : names.joined(separator: ", "))"
                )
            }
            // A wrong model setting is said before anything is imported.
            let filler = noGenerate || queue ? nil : try DraftFillers.fromEnvironment(database: database)
            let name = URL(fileURLWithPath: file).lastPathComponent
            let report = try await ContactImporter(database: database).importCSV(
                .file(path: file), fileName: name, clientID: owner.id, templateID: chosen.id,
                queuedAt: queue ? TimeSource.system.nowMillis() : nil)
            print(
                "Batch \(report.batchID): \(report.rowsRead) rows read (\(report.encoding), delimiter \(report.delimiter)), \(report.imported) imported, \(report.skipped.count) skipped."
            )
            for row in report.skipped {
                print("  row \(row.row)\(row.email.isEmpty ? "" : " (\(row.email))"): \(row.reason)")
            }
            if queue {
                print("Batch \(report.batchID) queued: the drafting workers of `greenlight serve` draft it.")
            } else if let filler {
                let summary = try await DraftGenerator(database: database, filler: filler).generate(batchID: report.batchID)
                print("Drafted \(summary.drafted) emails\(summary.failed > 0 ? ", \(summary.failed) failed" : "").\(summary.cacheLine)")
                if let stop = summary.stoppedBy {
                    print(
                        "Stopped: \(stop). \(summary.waiting) contacts wait: `greenlight generate --batch \(summary.batchID)` drafts them when the budget allows."
                    )
                }
            }
        }
    }
}
