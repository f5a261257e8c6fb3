import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import HTTPTypes
import Testing
import GreenlightTestSupport

/// `/bench/ceiling` serves each user only the page rendered for them.
@Suite("Bench ceiling")
struct BenchCeilingTests {
    @Test("one user's queue page, with their CSRF token, is never served to another", arguments: [DatabaseDialect.sqlite])
    func perUser(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect, benchCeiling: true) { database, client in
            let seed = try await Seed.make(database, contacts: 3)
            let other = try await Seed.make(database, contacts: 3, clientName: "Other Client")
            _ = try await Seed.user(database, email: "sam@team.example", clients: [seed.clientID])
            _ = try await Seed.user(database, email: "kim@team.example", clients: [other.clientID])
            var sam = WebClient(client)
            _ = try await sam.login("sam@team.example")
            let samToken = sam.csrf
            var kim = WebClient(client)
            #expect(try await kim.request("/bench/ceiling").status == .seeOther, "anonymous: the login page")
            var logIn = try await kim.request("/login")
            let token = WebClient.firstMatch(#"name="_csrf" value="([^"]*)""#, in: logIn.text) ?? ""
            logIn = try await kim.post(
                "/login", [("_csrf", token), ("email", "kim@team.example"), ("password", "correct horse battery")], csrf: false)
            let before = try await kim.request("/bench/ceiling")
            #expect(before.status == .notFound, "Kim has not opened the queue yet: nothing of Sam's is served")
            #expect(!before.text.contains(samToken))
            _ = try await kim.request("/review")
            let kimsPage = try await kim.request("/bench/ceiling")
            #expect(kimsPage.status == .ok)
            #expect(!kimsPage.text.contains(samToken))
            let samsPage = try await sam.request("/bench/ceiling")
            #expect(samsPage.text.contains(samToken))
        }
    }
}
