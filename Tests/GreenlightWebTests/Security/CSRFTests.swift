import Foundation
import HTTPTypes
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Testing
import GreenlightTestSupport

/// The CSRF check, pinned (issue 28, item 6): a token of the right length but the wrong value is
/// refused whether it comes in the `X-CSRF-Token` header or the form's `_csrf`, and nothing changes;
/// the right one passes. (Replacing the comparison by "any value" fails here.)
@Suite("CSRF tokens")
struct CSRFTests {
    /// `token` with its last character changed: the same length, another value.
    static func forged(_ token: String) -> String {
        String(token.dropLast()) + (token.last == "A" ? "B" : "A")
    }

    @Test(
        "a wrong token of the right length, in the header or the form, is refused and changes nothing; the right one passes",
        arguments: DatabaseDialect.allCases)
    func wrongTokens(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            _ = try await Seed.make(database, contacts: 4)
            _ = try await Seed.user(database, email: "sam@team.example", role: .sdr, name: "Sam")
            var web = WebClient(client)
            _ = try await web.login("sam@team.example")
            let token = web.csrf
            #expect(token.count >= 20, "a session token")
            let ids = try await ReviewQueue(database: database).page(QueueFilter(), limit: 4).emails.map(\.id)

            let byHeader = try await web.request(
                "/review/\(ids[0])/approve", method: .post, headers: [CSRFHeader.name: Self.forged(token)],
                body: "shown_at=1", contentType: "application/x-www-form-urlencoded")
            #expect(byHeader.status == .forbidden)
            let byForm = try await web.request(
                "/review/\(ids[0])/approve", method: .post, body: "_csrf=\(Self.forged(token))&shown_at=1",
                contentType: "application/x-www-form-urlencoded")
            #expect(byForm.status == .forbidden)
            // A right form token does not rescue a wrong header: the header is what is checked when sent.
            let both = try await web.request(
                "/review/\(ids[0])/approve", method: .post, headers: [CSRFHeader.name: Self.forged(token)],
                body: "_csrf=\(token)&shown_at=1", contentType: "application/x-www-form-urlencoded")
            #expect(both.status == .forbidden)
            let json = try await web.request(
                "/api/v1/emails/\(ids[1])/approve", method: .post, headers: [CSRFHeader.name: Self.forged(token), .accept: "application/json"],
                body: "{}", contentType: "application/json")
            #expect(json.status == .forbidden)
            #expect(try await ExportFixtures.statuses(database, [ids[0], ids[1]]) == ["pending_review", "pending_review"], "nothing decided")

            #expect(
                try await web.request(
                    "/review/\(ids[0])/approve", method: .post, headers: [CSRFHeader.name: token],
                    body: "shown_at=1", contentType: "application/x-www-form-urlencoded"
                ).status == .seeOther)
            #expect(
                try await web.request(
                    "/review/\(ids[2])/approve", method: .post, body: "_csrf=\(token)&shown_at=1",
                    contentType: "application/x-www-form-urlencoded"
                ).status == .seeOther)
            #expect(try await ExportFixtures.statuses(database, [ids[0], ids[2]]) == ["approved", "approved"])
        }
    }

    @Test(
        "every state-changing route of the policy refuses a signed-in form without its token, and changes nothing",
        arguments: DatabaseDialect.allCases)
    func everyFormNeedsTheToken(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 2)
            _ = try await Seed.user(database, email: "ada@team.example", role: .admin)
            var web = WebClient(client)
            _ = try await web.login("ada@team.example")
            let audit = try await Seed.count(database, "SELECT COUNT(*) AS n FROM audit_log")
            // A sequencer's webhook carries no session and no CSRF token: the client's token in its path is the credential.
            let routes = RoutePolicy.routes.filter { $0.method != .get && $0.rule != .hookToken }
            #expect(routes.count > 40)
            for route in routes {
                let path = route.pattern.split(separator: "/").map { $0.hasPrefix(":") ? String(seed.clientID) : String($0) }.joined(separator: "/")
                let page = try await web.request(
                    "/" + path, method: route.method, headers: [.accept: "text/html"], body: "name=x&role=sdr&email=x%40y.example",
                    contentType: "application/x-www-form-urlencoded")
                #expect(page.status == .forbidden, "\(route.method) \(route.pattern) without the token: \(page.status.code)")
            }
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM audit_log") == audit, "nothing audited, so nothing done")
            #expect(try await web.request("/review").status == .ok, "still signed in")
        }
    }
}
