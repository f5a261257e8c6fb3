import ArgumentParser
import GreenlightWork

/// `greenlight user add --email E --password P --role R`: creates a login (or resets it).
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.", subcommands: [Add.self, Assign.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user, or reset the password and role of an existing one (which ends their sessions).")

        @OptionGroup var options: DatabaseOptions
        @Option(name: .long, help: "Login email.") var email: String
        @Option(name: .long, help: "Password (at least 8 characters).") var password: String
        @Option(name: .long, help: "sdr, manager or admin.") var role: String
        @Option(name: .long, help: "Display name (default: from the email).") var name: String?
        @Option(name: .long, help: "A client this user works on (repeatable). Admins see every client.") var client: [String] = []

        func run() async throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("--role \(role) is not one of sdr, manager, admin") }
            try await options.withDatabase { database, _, _ in
                var clients: [ClientRecord] = []
                for name in client { clients.append(try await requireClient(name, in: database)) }
                let user = try await UserRepository(database: database).save(email: email, name: name, password: password, role: role)
                for record in clients { try await ClientAssignments(database: database).assign(userID: user.id, clientID: record.id) }
                try await AuditLog(database: database).record(
                    userID: nil, action: "user saved", target: user.email,
                    details: "role \(user.role.rawValue)" + (clients.isEmpty ? "" : "; clients: " + clients.map(\.name).joined(separator: ", ")))
                print(
                    "User \(user.email) (\(user.name)) saved as \(user.role.rawValue)"
                        + (clients.isEmpty ? "." : ", working on \(clients.map(\.name).joined(separator: ", ")).")
                        + (role != .admin && clients.isEmpty
                            ? " They see no client until assigned one: greenlight user assign --email \(user.email) --client NAME" : ""))
            }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a user access to a client's emails (or take it away with --remove).")

        @OptionGroup var options: DatabaseOptions
        @Option(name: .long, help: "The user's login email.") var email: String
        @Option(name: .long, help: "The client's name.") var client: String
        @Flag(name: .long, help: "Remove the assignment instead.") var remove = false

        func run() async throws {
            try await options.withDatabase { database, _, _ in
                let record = try await requireClient(client, in: database)
                guard let user = try await UserRepository(database: database).find(email: email) else {
                    throw ValidationError("no user with email \(email)")
                }
                let assignments = ClientAssignments(database: database)
                if remove {
                    try await assignments.unassign(userID: user.id, clientID: record.id)
                } else {
                    try await assignments.assign(userID: user.id, clientID: record.id)
                }
                try await AuditLog(database: database).record(
                    userID: nil, action: remove ? "client unassigned" : "client assigned", target: user.email, details: record.name)
                print("\(user.email) \(remove ? "no longer works" : "now works") on \(record.name).")
            }
        }
    }
}
