import ArgumentParser
import Foundation
import GreenlightWork

/// `greenlight secrets`: store a client's sequencer key and Slack webhook encrypted, make a key, rotate keys.
struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets", abstract: "Manage encrypted secrets (GREENLIGHT_SECRET_KEY).",
        subcommands: [Set.self, MakeKey.self, Rotate.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Store a client's sequencer key and/or Slack webhook, encrypted under GREENLIGHT_SECRET_KEY.")

        @OptionGroup var options: DatabaseOptions
        @Option(name: .long, help: "The client's name.") var client: String
        @Option(name: .long, help: "instantly, smartlead or csv.") var sequencer: String?
        @Option(name: .long, help: "Environment variable holding the sequencer API key (kept out of shell history).") var sequencerKeyEnv: String?
        @Option(name: .long, help: "Environment variable holding the Slack webhook URL.") var slackWebhookEnv: String?

        func run() async throws {
            let box = try SecretBox.fromEnvironment()
            let environment = ProcessInfo.processInfo.environment
            func secret(_ name: String?) throws -> String? {
                guard let name else { return nil }
                guard let value = environment[name], !value.isEmpty else { throw ValidationError("environment variable \(name) is empty or not set") }
                return value
            }
            let key = try secret(sequencerKeyEnv)
            let hook = try secret(slackWebhookEnv)
            try await options.withDatabase { database, _, _ in
                let owner = try await requireClient(client, in: database)
                try await ClientSecrets(database: database, box: box).set(
                    clientID: owner.id, sequencerKind: sequencer, sequencerKey: key, slackWebhook: hook)
                print("Secrets of \(owner.name) stored encrypted.")
            }
        }
    }

    struct MakeKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "make-key", abstract: "Print a new random key for GREENLIGHT_SECRET_KEY.")

        func run() async throws {
            print(SecretBox.makeKey())
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-encrypt every secret from GREENLIGHT_SECRET_KEY to the key in the variable named by --new-key-env.")

        @OptionGroup var options: DatabaseOptions
        @Option(name: .long, help: "Environment variable holding the new key.") var newKeyEnv: String = "GREENLIGHT_NEW_SECRET_KEY"

        func run() async throws {
            let old = try SecretBox.fromEnvironment()
            guard let newKey = ProcessInfo.processInfo.environment[newKeyEnv], !newKey.isEmpty else {
                throw ValidationError("\(newKeyEnv) is not set: put the new key there (greenlight secrets make-key)")
            }
            // SecretBox's own message names GREENLIGHT_SECRET_KEY, the old key, which is fine: name the variable that is wrong.
            let new: SecretBox
            do {
                new = try SecretBox(base64Key: newKey)
            } catch {
                throw ValidationError("\(newKeyEnv) must be 32 random bytes in base64 (make one with `greenlight secrets make-key`)")
            }
            try await options.withDatabase { database, _, _ in
                let count = try await ClientSecrets(database: database, box: old).rotate(to: new)
                try await AuditLog(database: database).record(
                    userID: nil, action: "secrets rotated", target: "all clients", details: "\(count) secrets")
                print("Re-encrypted \(count) secrets. Now set GREENLIGHT_SECRET_KEY to the new key.")
            }
        }
    }
}
