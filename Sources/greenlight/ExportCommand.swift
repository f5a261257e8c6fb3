import ArgumentParser
import Foundation
import GreenlightCore
import GreenlightWork
import GreenlightExport

/// `greenlight export [--client NAME] [--dry-run] [--resume] [--abandon RUN]`: exports the approved emails of one
/// client (or every client with a sequencer key) now, resuming first whatever an earlier run left
/// unfinished — the same run the schedule makes, for cron. `--dry-run` says what would go to which
/// campaign and changes nothing; `--resume` only finishes unfinished runs; `--abandon RUN` ends one that cannot finish. Another exporter working
/// on a client is reported, not waited for.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Send approved emails to the client's sequencer now (resuming any unfinished run).")

    @OptionGroup var options: DatabaseOptions
    @Option(name: .long, help: "Only this client (its name); default every client with a sequencer key.") var client: String?
    @Option(name: .long, help: "Write the client's approved emails to this CSV file instead (for an upload by hand); they wait as 'awaiting upload'.")
    var csv: String?
    @Option(name: .long, help: "The CSV of this run was uploaded: mark its emails sent.") var confirmCsv: Int?
    @Option(name: .long, help: "The CSV of this run was not uploaded: give its emails back.") var cancelCsv: Int?
    @Option(
        name: .long,
        help: "Abandon this unfinished run: ask the sequencer which of its unanswered leads it holds (sent), give the rest back as approved.")
    var abandon: Int?
    @Flag(name: .long, help: "Say which approved emails would go to which campaign; send and change nothing.") var dryRun = false
    @Flag(name: .long, help: "Only finish runs an earlier export left unfinished; claim nothing new.") var resume = false

    func run() async throws {
        if csv != nil || confirmCsv != nil || cancelCsv != nil {
            try await runCSV()
            return
        }
        if dryRun {
            try await preview()
            return
        }
        let box = try SecretBox.fromEnvironment()
        if let abandon {
            try await options.withDatabase { database, _, logger in
                let exporter = Exporter(
                    database: database, secrets: ClientSecrets(database: database, box: box), factory: .fromEnvironment(), logger: logger)
                do {
                    print(try await exporter.abandon(runID: abandon, clientIDs: nil, by: "the command line", userID: nil).sentence)
                } catch let error as InputError {
                    throw ValidationError(error.message)
                } catch let busy as ExportBusy {
                    throw ValidationError(busy.description)
                }
            }
            return
        }
        let failed = try await options.withDatabase { database, _, logger in
            let clients = try await chosenClients(database)
            let exporter = Exporter(
                database: database, secrets: ClientSecrets(database: database, box: box), factory: .fromEnvironment(), logger: logger,
                notifier: SlackNotifier(logger: logger))
            var failed = 0
            for owner in clients {
                do {
                    let outcome = try await exporter.run(clientID: owner.id, trigger: .command, resumeOnly: resume)
                    if outcome.status == "nothing" && client == nil { continue }
                    if resume && outcome.runID == nil {
                        print("\(owner.name): nothing to resume")
                        continue
                    }
                    let counts =
                        "\(outcome.sent) sent, \(outcome.failed) failed of \(outcome.claimed) claimed\(outcome.resumed ? " (an unfinished run resumed)" : "")"
                    print("\(owner.name): \(outcome.status) — \(counts)\(outcome.error.map { ": \($0)" } ?? "")")
                    if outcome.status == "failed" || outcome.status == "nothing" { failed += 1 }
                } catch let busy as ExportBusy {
                    print("\(owner.name): \(busy)")
                    failed += 1
                }
            }
            return failed
        }
        if failed > 0 { throw ExitCode(1) }
    }

    private func chosenClients(_ database: Database) async throws -> [ClientRecord] {
        if let client { return [try await requireClient(client, in: database)] }
        return try await ClientRepository(database: database).all()
    }

    /// What a run now would send, client by client: each campaign with its emails' count and first contacts.
    private func preview() async throws {
        try await options.withDatabase { database, _, _ in
            let history = ExportHistory(database: database)
            for owner in try await chosenClients(database) {
                let paused = try await RolloutRepository(database: database).state(clientID: owner.id).paused
                let campaigns = try await history.preview(clientID: owner.id, now: TimeSource.system.nowMillis())
                let total = campaigns.map(\.count).reduce(0, +)
                print(
                    "\(owner.name): \(paused ? "paused by the kill switch — nothing would be sent" : "a run now would send \(total) email\(total == 1 ? "" : "s")")"
                )
                guard !paused else { continue }
                for campaign in campaigns {
                    let more = campaign.count > campaign.firstContacts.count ? ", …" : ""
                    print("  \(campaign.campaignName): \(campaign.count) (\(campaign.firstContacts.joined(separator: ", "))\(more))")
                }
            }
        }
    }

    /// The CSV file for hand uploads, and its confirmation.
    private func runCSV() async throws {
        try await options.withDatabase { database, _, _ in
            let export = CSVExport(database: database)
            if let run = confirmCsv {
                print("Run \(run): \(try await export.confirm(runID: run, clientIDs: nil)) emails marked sent.")
            } else if let run = cancelCsv {
                try await export.cancel(runID: run, clientIDs: nil)
                print("Run \(run) cancelled: its emails stay approved for the next export.")
            } else if let csv {
                guard let client else { throw ValidationError("--csv needs --client NAME") }
                let owner = try await requireClient(client, in: database)
                guard let prepared = try await export.prepare(clientID: owner.id) else {
                    print("\(owner.name): no approved email waits for export; no file written.")
                    return
                }
                let file = try await export.file(runID: prepared.runID, clientIDs: nil)
                do {
                    try Data(file.bytes).write(to: URL(fileURLWithPath: csv))
                } catch {
                    try await export.cancel(runID: prepared.runID, clientIDs: nil)
                    throw ValidationError("cannot write \(csv): \(error.localizedDescription); nothing claimed")
                }
                print(
                    "\(owner.name): \(prepared.count) emails written to \(csv) (run \(prepared.runID)). After uploading it: greenlight export --confirm-csv \(prepared.runID)"
                )
            }
        }
    }
}
