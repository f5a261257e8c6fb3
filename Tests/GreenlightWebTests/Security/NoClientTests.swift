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

/// A user assigned no client sees nothing (issue 28, item 7): the queue, the dashboard, the analytics
/// and every API list are empty, and every id of someone else's client — email, batch, export run,
/// rollout — is not found. (Turning the scope's "1 = 0" into "1 = 1" fails here.)
@Suite("A user with no client")
struct NoClientTests {
    @Test("an SDR and a manager with no client: empty lists everywhere, 404 on every id", arguments: DatabaseDialect.allCases)
    func seesNothing(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 6)
            let ids = try await ReviewQueue(database: database).page(QueueFilter(), limit: 6).emails.map(\.id)
            _ = try await ReviewDecider(database: database).decide(.approve, emailID: ids[0], by: ExportFixtures.sam)
            let run = try #require(try await CSVExport(database: database).prepare(clientID: seed.clientID)).runID
            for (email, role) in [("sdr-none@team.example", Role.sdr), ("manager-none@team.example", Role.manager)] {
                _ = try await Seed.user(database, email: email, role: role, clients: [])
                var web = WebClient(client)
                _ = try await web.login(email)
                let queue = try await web.request("/review")
                #expect(queue.status == .ok && !ids.contains { queue.text.contains("/review/\($0)\"") }, "\(role): no card")
                let api = try await web.request("/api/v1/emails?status=all", headers: [.accept: "application/json"])
                #expect(try JSONValue.parse(api.text)["emails"]?.array?.isEmpty == true, "\(role): \(api.text.prefix(200))")
                let analytics = try await web.request("/api/v1/analytics", headers: [.accept: "application/json"])
                #expect(try JSONValue.parse(analytics.text)["totals"]?["generated"]?.number == 0, "\(role): \(analytics.text.prefix(200))")
                #expect(try await web.request("/dashboard").status == .ok)
                for id in ids {
                    #expect(try await web.request("/review/\(id)").status == .notFound)
                    #expect(try await web.request("/api/v1/emails/\(id)", headers: [.accept: "application/json"]).status == .notFound)
                }
                if role == .manager {
                    #expect(try await web.request("/batches/\(seed.batchID)").status == .notFound)
                    #expect(try await web.request("/clients/\(seed.clientID)/rollout").status == .notFound)
                    #expect(try await web.request("/clients/\(seed.clientID)/export").status == .notFound)
                    #expect(try await web.request("/exports/\(run)/csv").status == .notFound)
                    #expect(try await web.request("/api/v1/exports/\(run)", headers: [.accept: "application/json"]).status == .notFound)
                    let runs = try await web.request("/api/v1/exports", headers: [.accept: "application/json"])
                    #expect(try JSONValue.parse(runs.text)["runs"]?.array?.isEmpty == true, "\(runs.text.prefix(200))")
                    #expect(
                        try await web.request("/api/v1/clients/\(seed.clientID)/rollout", headers: [.accept: "application/json"]).status == .notFound)
                }
            }
        }
    }
}
