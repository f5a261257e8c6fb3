import Foundation
import Logging
import GreenlightCore
import GreenlightWork

extension Database {
    /// Opens the database, applies any migration it lacks and removes imports a killed process left
    /// half done — what every command does first.
    public static func openMigrated(
        _ location: DatabaseLocation, paths: ResourcePaths, clock: TimeSource = .system, logger: Logger
    ) async throws -> Database {
        let database = try await Database.open(location, logger: logger)
        do {
            let applied = try await Migrator(migrationsRoot: paths.migrations, dialect: database.dialect, clock: clock).migrate(
                database, logger: logger)
            try await DailyRollup.fillAfterMigration(database, applied: applied, logger: logger)
            try await AbandonedImports(database: database, clock: clock).remove(logger: logger)
        } catch {
            await database.close()
            throw error
        }
        return database
    }
}
