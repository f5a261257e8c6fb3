import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import Testing
import GreenlightTestSupport

@Suite("Database location")
struct DatabaseLocationTests {
    @Test func readsPostgresURL() throws {
        let location = try DatabaseLocation(parsing: "postgres://app:s%40cret@db.example:6543/greenlight?sslmode=require")
        #expect(
            location
                == .postgres(
                    PostgresURL(host: "db.example", port: 6543, username: "app", password: "s@cret", database: "greenlight", requireTLS: true)))
    }

    @Test func readsSQLitePaths() throws {
        #expect(try DatabaseLocation(parsing: "data/x.sqlite") == .sqlite(path: "data/x.sqlite"))
        #expect(try DatabaseLocation(parsing: "sqlite:///tmp/x.sqlite") == .sqlite(path: "/tmp/x.sqlite"))
        #expect(try DatabaseLocation.resolve(option: nil, environment: [:]) == .defaultSQLite)
    }

    @Test func refusesBadValuesWithoutLeakingThePassword() {
        #expect(throws: ConfigurationError.self) { try DatabaseLocation(parsing: "") }
        #expect(throws: ConfigurationError.self) { try DatabaseLocation(parsing: "postgres://user:pw@host") }
        do {
            _ = try DatabaseLocation(parsing: "mysql://user:topsecret@host/db")
            Issue.record("mysql URL accepted")
        } catch {
            #expect(!error.description.contains("topsecret"))
            #expect(error.description.contains("postgres://"))
        }
    }
}
