import ArgumentParser
import GreenlightCore

/// `greenlight migrate`: applies pending schema migrations (and, like every command, removes imports
/// a killed process abandoned).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply the schema migrations the database lacks.")

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        try await options.withDatabase { database, paths, logger in
            let applied = try Migrator(migrationsRoot: paths.migrations, dialect: database.dialect).migrations().map(\.version)
            print("\(database.location) is at schema version \(applied.max() ?? 0).")
        }
    }
}
