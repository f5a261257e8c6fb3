import ArgumentParser
import Foundation
import GreenlightCore
import GreenlightWork
import GreenlightExport
import GreenlightWeb

/// `greenlight outcomes subscribe --client NAME` makes the client's webhook address under
/// `GREENLIGHT_PUBLIC_URL` and creates the webhook at its sequencer when the API can (Instantly);
/// `greenlight outcomes sync [--client NAME]` reads recent campaigns back lead by lead now, as the
/// daily pull does, and records what the webhooks missed.
struct OutcomesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcomes", abstract: "Read replies, bounces and unsubscribes back from the sequencers.",
        subcommands: [Subscribe.self, Sync.self])

    struct Subscribe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the client's webhook address (GREENLIGHT_PUBLIC_URL) and subscribe it at its sequencer where the API can.")
        @OptionGroup var options: DatabaseOptions
        @Option(name: .long, help: "The client (its name).") var client: String

        func run() async throws {
            guard let base = try PublicURL.fromEnvironment() else {
                throw ValidationError("set GREENLIGHT_PUBLIC_URL to where sequencers reach Greenlight, e.g. https://greenlight.example.com")
            }
            let box = try SecretBox.fromEnvironment()
            try await options.withDatabase { database, _, _ in
                let owner = try await requireClient(client, in: database)
                let connected = try await OutcomeSubscription(
                    database: database, secrets: ClientSecrets(database: database, box: box), factory: .fromEnvironment()
                ).connect(clientID: owner.id, clientName: owner.name, base: base, userID: nil)
                if let id = connected.vendorID { print("\(owner.name): the webhook was created in the sequencer (\(id)).") }
                if let note = connected.note { print("\(owner.name): \(note)") }
                print("Instantly address: \(connected.instantlyURL)")
                print("Smartlead address: \(connected.smartleadURL)")
                print("Smartlead secret key: \(connected.made.secret)")
                print("These are shown only this once; the earlier address, if any, stops working.")
            }
        }
    }

    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read the recent campaigns' leads back now and record what the webhooks missed.")
        @OptionGroup var options: DatabaseOptions
        @Option(name: .long, help: "Only this client (its name); default every client with an Instantly key.") var client: String?

        func run() async throws {
            let box = try SecretBox.fromEnvironment()
            let failed = try await options.withDatabase { database, _, logger in
                let secrets = ClientSecrets(database: database, box: box)
                let message = DemotionMessage(database: database, box: box, notifier: SlackNotifier(logger: logger), logger: logger)
                let demotions = DemotionGuard(database: database, notify: { await message.send($0) })
                let clients =
                    if let client { [try await requireClient(client, in: database)] } else {
                        try await ClientRepository(database: database).all()
                    }
                let pull = OutcomePull(database: database, secrets: secrets, factory: .fromEnvironment(), demotions: demotions)
                var failed = 0
                for owner in clients {
                    if client == nil, try await ClientSecrets.facts(database, clientID: owner.id).sequencerKind != .instantly { continue }
                    do {
                        print("\(owner.name): \(try await pull.run(clientID: owner.id).sentence)")
                        try? await OutcomeSubscription(database: database, secrets: secrets, factory: .fromEnvironment()).refresh(clientID: owner.id)
                    } catch let refused as OutcomePull.Refused {
                        print("\(owner.name): \(refused)")
                        failed += 1
                    } catch let error as SequencerError {
                        print("\(owner.name): \(error) (the next pull goes on from its last page)")
                        failed += 1
                    }
                }
                return failed
            }
            if failed > 0 { throw ExitCode(1) }
        }
    }
}
