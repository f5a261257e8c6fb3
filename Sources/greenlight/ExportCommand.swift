import ArgumentParser
import Foundation
import Greenlight

/// `greenlight export [--client NAME]`: exports the approved emails of one client (or every client
/// with a sequencer key) now, resuming first whatever an earlier run left unfinished — the same run
/// the schedule makes, for cron. Another exporter working on a client is reported, not waited for.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Send approved emails to the client's sequencer now (resuming any unfinished run).")

    @OptionGroup var options: DatabaseOptions
    @Option(name: .long, help: "Only this client (its name); default every client with a sequencer key.") var client: String?

    func run() async throws {
        let box = try SecretBox.fromEnvironment()
        let failed = try await options.withDatabase { database, _, logger in
            var clients: [ClientRecord]
            if let client { clients = [try await requireClient(client, in: database)] } else { clients = try await ClientRepository(database: database).all() }
            let exporter = Exporter(database: database, secrets: ClientSecrets(database: database, box: box), factory: .fromEnvironment(), logger: logger,
                                    notifier: SlackNotifier(logger: logger))
            var failed = 0
            for owner in clients {
                do {
                    let outcome = try await exporter.run(clientID: owner.id, trigger: .command)
                    if outcome.status == "nothing" && client == nil { continue }
                    let counts = "\(outcome.sent) sent, \(outcome.failed) failed of \(outcome.claimed) claimed\(outcome.resumed ? " (an unfinished run resumed)" : "")"
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
}
