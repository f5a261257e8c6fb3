import Foundation
@testable import GreenlightCore
import SQLKit
import Testing
import GreenlightTestSupport

/// Two instances starting together on one empty PostgreSQL database migrate it once: every migration
/// applied by exactly one of them, none failing on the other's work (they take turns under an advisory
/// lock). Several instances share PostgreSQL only: an SQLite file has one app process (its busy
/// timeout, not this lock, is what a second process on it meets).
@Suite("Migrations from two instances at once")
struct ConcurrentMigrationTests {
    @Test("two migrators on one empty PostgreSQL database apply each migration once between them")
    func twoAtOnce() async throws {
        let dialect = DatabaseDialect.postgres
        try await TestDatabase.withUnmigrated(dialect) { first in
            let second = try await Database.open(first.location, logger: TestDatabase.logger)
            let migrator = Migrator(migrationsRoot: TestDatabase.paths.migrations, dialect: dialect)
            let all = try migrator.migrations().map(\.version)
            do {
                async let a = migrator.migrate(first, logger: TestDatabase.logger)
                async let b = migrator.migrate(second, logger: TestDatabase.logger)
                let (one, other) = try await (a, b)
                #expect(Set(one).isDisjoint(with: other), "none applied twice: \(one) and \(other)")
                #expect((one + other).sorted() == all, "every one applied")
                let rows = try await first.read { sql in
                    try await sql.raw("SELECT version FROM schema_migrations ORDER BY version").all().map {
                        try $0.decode(column: "version", as: Int.self)
                    }
                }
                #expect(rows == all)
                #expect(try await migrator.migrate(second, logger: TestDatabase.logger).isEmpty, "nothing left for a third start")
            } catch {
                await second.close()
                throw error
            }
            await second.close()
        }
    }
}
