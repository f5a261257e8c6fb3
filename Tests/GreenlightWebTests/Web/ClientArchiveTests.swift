import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import HTTPTypes
import SQLKit
import Testing
import GreenlightTestSupport

/// Archiving a client on both databases (issue 31 §2): out of every list and queue (its SDRs', and
/// an admin's), its API keys stop, nothing is imported for it; every row is kept, and restoring
/// brings it all back. Admins only.
@Suite("Archiving a client", .timeLimit(.minutes(15)))
struct ClientArchiveTests {
    static func emails(_ web: inout WebClient, key: String? = nil) async throws -> (status: Int, count: Int) {
        var headers: HTTPFields = [.accept: "application/json"]
        if let key { headers[.authorization] = "Bearer \(key)" }
        let page = try await web.request("/api/v1/emails?limit=100", headers: headers)
        return (Int(page.status.code), (try? page.json()["emails"] as? [Any])?.count ?? -1)
    }

    @Test("archived: hidden from its SDR, the admin's queue and the API; restored: back", arguments: DatabaseDialect.allCases)
    func archive(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let north = try await Seed.make(database, contacts: 3)
            let south = try await Seed.make(database, contacts: 2, clientName: "Southwind")
            _ = try await Seed.user(database, email: "ada@team.example", role: .admin)
            _ = try await Seed.user(database, email: "max@team.example", role: .manager, clients: [north.clientID])
            _ = try await Seed.user(database, email: "sam@team.example", role: .sdr, clients: [north.clientID])
            let key = try await APIKeyRepository(database: database).create(clientID: north.clientID, name: "clay")
            var admin = WebClient(client)
            var manager = WebClient(client)
            var sdr = WebClient(client)
            var api = WebClient(client)
            try await admin.login("ada@team.example")
            try await manager.login("max@team.example")
            try await sdr.login("sam@team.example")
            let rows = try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails")
            #expect(try await Self.emails(&sdr).count == 3)
            #expect(try await Self.emails(&admin).count == 5)
            #expect(try await Self.emails(&api, key: key).status == 200)

            #expect(try await manager.post("/clients/\(north.clientID)/archive").status == .forbidden, "admins only")
            let archived = try await admin.post("/clients/\(north.clientID)/archive")
            #expect(archived.status == .seeOther && archived.location == "/clients")
            #expect(try await Self.emails(&sdr).count == 0, "out of its SDR's queue")
            #expect(try await Self.emails(&admin).count == 2, "and the admin's")
            #expect(try await sdr.request("/clients/\(north.clientID)").status == .notFound)
            #expect(try await Self.emails(&api, key: key).status == 401, "its API keys stop")
            let list = try await admin.request("/clients")
            #expect(list.text.contains("Archived clients") && list.text.contains("/clients/\(north.clientID)/restore"))
            let importPage = try await admin.request("/import")
            #expect(!importPage.text.contains(#"value="\#(north.templateID)""#))
            await #expect(throws: ImportError.self) {
                _ = try await ImportBatchWriter(database: database, clientID: north.clientID, clock: .system).create(
                    templateID: north.templateID, fileName: "cli.csv", userID: nil)
            }
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails") == rows, "every row kept")

            #expect(try await admin.post("/clients/\(north.clientID)/restore").status == .seeOther)
            #expect(try await Self.emails(&sdr).count == 3)
            #expect(try await Self.emails(&admin).count == 5)
            #expect(try await Self.emails(&api, key: key).status == 200)
            let actions = try await AuditLog(database: database).recent().map(\.action)
            #expect(actions.contains("client archived") && actions.contains("client restored"))
            _ = south
        }
    }
}
