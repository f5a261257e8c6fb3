import ArgumentParser
import GreenlightCore
import GreenlightWork

/// `greenlight apikey create --client NAME`: makes an API key and prints it once, alone on the last line.
struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey", abstract: "Manage API keys.", subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API key for a client. The key is printed once, on the last line; only its hash is stored.")

        @OptionGroup var options: DatabaseOptions
        @Option(name: .long, help: "The client's name.") var client: String
        @Option(name: .long, help: "A name to recognise the key by.") var name: String = "api"
        @Option(name: .long, help: "reviewer (list and decide the client's emails) or manager (also read and change its rollout).") var role: String =
            "reviewer"

        func run() async throws {
            guard let keyRole = APIKeyRepository.KeyRole(rawValue: role) else {
                throw ValidationError("--role \(role) is not one of reviewer, manager")
            }
            try await options.withDatabase { database, _, _ in
                let owner = try await requireClient(client, in: database)
                let key: String
                do {
                    key = try await APIKeyRepository(database: database).create(clientID: owner.id, name: name, role: keyRole)
                } catch let error as InputError {
                    throw ValidationError(error.message)
                }
                print("API key \"\(name)\" for \(owner.name) (store it now; it is not shown again):")
                print(key)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a client's API keys: name, prefix, creation, last use, revocation.")

        @OptionGroup var options: DatabaseOptions
        @Option(name: .long, help: "The client's name.") var client: String

        func run() async throws {
            try await options.withDatabase { database, _, _ in
                let owner = try await requireClient(client, in: database)
                let keys = try await APIKeyRepository(database: database).list(clientID: owner.id)
                if keys.isEmpty { print("\(owner.name) has no API key.") }
                for key in keys {
                    let state = key.revokedAt.map { "revoked \(Clock.date(fromMillis: $0))" } ?? "active"
                    let used = key.lastUsedAt.map { "last used \(Clock.date(fromMillis: $0))" } ?? "never used"
                    print(
                        "\(key.name)  \(key.role.rawValue)  \(key.prefix)…\(key.lastFour ?? "")  created \(Clock.date(fromMillis: key.createdAt))  \(used)  \(state)"
                    )
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a client's API keys with this name; they stop working at once.")

        @OptionGroup var options: DatabaseOptions
        @Option(name: .long, help: "The client's name.") var client: String
        @Option(name: .long, help: "The key's name.") var name: String

        func run() async throws {
            try await options.withDatabase { database, _, _ in
                let owner = try await requireClient(client, in: database)
                let count = try await APIKeyRepository(database: database).revoke(clientID: owner.id, name: name)
                guard count > 0 else { throw ValidationError("\(owner.name) has no active key named \(name)") }
                print("Revoked \(count) key\(count == 1 ? "" : "s") named \(name) of \(owner.name).")
            }
        }
    }
}
