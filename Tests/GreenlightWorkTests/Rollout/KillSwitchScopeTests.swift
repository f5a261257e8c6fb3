import Foundation
import HTTPTypes
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// The kill switch obeys the caller's clients (issue 28, item 1): only a caller who sees every client
/// (an admin) pauses or resumes all of them at once; a manager's "pause all" and "resume all" act on
/// each client they see, one by one, and never touch the global switch.
@Suite("Kill switch scope")
struct KillSwitchScopeTests {
    static func history(_ database: Database) async throws -> [String] {
        try await database.read { sql in
            try await sql.raw("SELECT action, client_id FROM rollout_changes ORDER BY id").all().map {
                "\(try $0.decode(column: "action", as: String.self)) \(try $0.decode(column: "client_id", as: Int?.self).map(String.init) ?? "all")"
            }
        }
    }

    @Test(
        "the reproduction: a manager with no client cannot resume an admin's global pause; a manager pauses and resumes only their clients",
        arguments: DatabaseDialect.allCases)
    func scoped(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let north = try await Seed.make(database, contacts: 2)
            let other = try await Seed.make(database, contacts: 2, clientName: "Other Client")
            _ = try await Seed.user(database, email: "admin@team.example", role: .admin, name: "Ada")
            _ = try await Seed.user(database, email: "nobody@team.example", role: .manager, name: "Nora", clients: [])
            _ = try await Seed.user(database, email: "north@team.example", role: .manager, name: "Ned", clients: [north.clientID])
            let repository = RolloutRepository(database: database)
            var admin = WebClient(client)
            _ = try await admin.login("admin@team.example")
            var nobody = WebClient(client)
            _ = try await nobody.login("nobody@team.example")
            var ned = WebClient(client)
            _ = try await ned.login("north@team.example")

            #expect(try await admin.post("/rollout/pause", [("reason", "incident")]).status == .seeOther)
            #expect(try await repository.isPausedGlobally())
            let refused = try await nobody.post("/rollout/resume")
            #expect(refused.status == .seeOther)
            #expect(try await repository.isPausedGlobally(), "the global pause holds")
            #expect(try await nobody.request("/rollout").text.contains("You are assigned no client: nothing to resume."))
            #expect(try await Self.history(database) == ["pause all"], "nothing recorded for the manager")

            let page = try await ned.request("/rollout")
            #expect(!page.text.contains("Resume every client") && page.text.contains("only an admin can resume them all"))
            #expect(try await ned.post("/rollout/pause").status == .seeOther)
            #expect(try await repository.state(clientID: north.clientID).pausedAt != nil)
            #expect(try await repository.state(clientID: other.clientID).pausedAt == nil, "a client Ned does not see is untouched")
            #expect(try await ned.post("/rollout/resume").status == .seeOther)
            let resumed = try await ned.request("/rollout")
            #expect(
                resumed.text.contains("Your 1 client resumed, but an admin&#39;s pause of every client still holds them")
                    || resumed.text.contains("Your 1 client resumed, but an admin's pause"),
                "\(resumed.text.count)")
            let stillGlobal = try await repository.isPausedGlobally()
            #expect(try await repository.state(clientID: north.clientID).pausedAt == nil && stillGlobal)
            #expect(try await Self.history(database) == ["pause all", "pause \(north.clientID)", "resume \(north.clientID)"])

            #expect(try await admin.post("/rollout/resume").status == .seeOther)
            #expect(try await !repository.isPausedGlobally())
        }
    }
}
