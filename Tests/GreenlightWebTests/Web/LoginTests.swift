import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import HTTPTypes
import SQLKit
import Testing
import GreenlightTestSupport

@Suite("Login and sessions")
struct LoginTests {
    @Test("log in, cookie flags, log out", arguments: DatabaseDialect.allCases)
    func loginFlow(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            _ = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            var web = WebClient(client)
            let anonymous = try await web.request("/review")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.location?.hasPrefix("/login") == true)

            let wrong = try await web.login("sam@team.example", password: "not the password")
            let unknown = try await web.login("nobody@team.example", password: "not the password")
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
            #expect(wrong.text.contains("That email and password do not match an account."))
            #expect(unknown.text.contains("That email and password do not match an account."))

            try await database.write { sql in
                try await sql.raw("INSERT INTO sessions (key_hash, value, expires_at) VALUES ('stale', '{}', 1)").run()
            }
            var login = WebClient(client)
            let page = try await login.request("/login")
            let token = WebClient.firstMatch(#"name="_csrf" value="([^"]*)""#, in: page.text) ?? ""
            let noToken = try await login.post("/login", [("email", "sam@team.example"), ("password", "correct horse battery")], csrf: false)
            #expect(noToken.status == .forbidden, "the login form needs its token too")
            let ok = try await login.post(
                "/login", [("_csrf", token), ("email", "SAM@team.example"), ("password", "correct horse battery")], csrf: false)
            #expect(ok.status == .seeOther)
            let sessionCookie = try #require(ok.headers[values: .setCookie].first { $0.hasPrefix("greenlight_session=") })
            #expect(sessionCookie.contains("HttpOnly"))
            #expect(sessionCookie.contains("SameSite=Lax"))
            #expect(!sessionCookie.contains("Secure"), "not Secure on plain HTTP unless configured")
            #expect(
                try await Seed.count(database, "SELECT COUNT(*) AS n FROM sessions WHERE key_hash = 'stale'") == 0, "a login clears expired sessions")
            let queue = try await login.request("/review")
            #expect(queue.status == .ok)
            #expect(queue.text.contains("Sam"))
            #expect(queue.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(!queue.text.contains("<script>"), "no inline script")

            let out = try await login.post("/logout")
            #expect(out.status == .seeOther)
            #expect(try await login.request("/review").status == .seeOther, "the queue is gone after logout")
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM sessions") == 0)
        }
    }

    @Test("health answers with the database status", arguments: DatabaseDialect.allCases)
    func health(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { _, client in
            var web = WebClient(client)
            let page = try await web.request("/health")
            #expect(page.status == .ok)
            let json = try page.json()
            #expect(json["status"] as? String == "ok")
            #expect((json["database"] as? [String: Any])?["dialect"] as? String == dialect.rawValue)
        }
    }
}
