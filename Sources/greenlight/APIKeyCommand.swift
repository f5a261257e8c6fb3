import ArgumentParser
import Greenlight

/// `greenlight apikey create --client NAME`: makes an API key and prints it once, alone on the last line.
struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apikey", abstract: "Manage API keys.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API key for a client. The key is printed once, on the last line; only its hash is stored.")

        @OptionGroup var options: DatabaseOptions
        @Option(name: .long, help: "The client's name.") var client: String
        @Option(name: .long, help: "A name to recognise the key by.") var name: String = "api"

        func run() async throws {
            try await options.withDatabase { database, _, _ in
                let owner = try await requireClient(client, in: database)
                let key = try await APIKeyRepository(database: database).create(clientID: owner.id, name: name)
                try await AuditLog(database: database).record(userID: nil, action: "API key created", target: owner.name, details: name)
                print("API key \"\(name)\" for \(owner.name) (store it now; it is not shown again):")
                print(key)
            }
        }
    }
}
