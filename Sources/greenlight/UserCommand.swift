import ArgumentParser
import Greenlight

/// `greenlight user add --email E --password P --role R`: creates a login (or resets it).
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user, or reset the password and role of an existing one (which ends their sessions).")

        @OptionGroup var options: DatabaseOptions
        @Option(name: .long, help: "Login email.") var email: String
        @Option(name: .long, help: "Password (at least 8 characters).") var password: String
        @Option(name: .long, help: "sdr, manager or admin.") var role: String
        @Option(name: .long, help: "Display name (default: from the email).") var name: String?

        func run() async throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("--role \(role) is not one of sdr, manager, admin") }
            try await options.withDatabase { database, _, _ in
                let user = try await UserRepository(database: database).save(email: email, name: name, password: password, role: role)
                print("User \(user.email) (\(user.name)) saved as \(user.role.rawValue).")
            }
        }
    }
}
