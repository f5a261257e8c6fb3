import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import HTTPTypes
import Testing
import GreenlightTestSupport

/// After logging in, `next` can only lead to a page of this site.
@Suite("Login redirect")
struct LoginRedirectTests {
    /// Values that must not leave the site or loop back to the login page, as the query parser hands them over.
    static let refused: [String] = [
        "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example", "/ /evil.example",
        "//evil.example", "/\\evil.example", "\\/evil.example", "/\\/evil.example", "\\\\evil.example",
        "/%5Cevil.example", "/%5c%5cevil.example", "/%2F/evil.example", "/%2f%2fevil.example", "/%09/evil.example",
        "https://evil.example", "javascript:alert(1)", "evil.example", "", "/login", "/login?next=/review", "/login/",
        "/LOGIN", "/./login", "/logout", "/%6Cogin", "/\u{0}/evil.example", "/\u{7F}/evil.example",
    ]

    @Test("tab, newline, backslashes, encoded variants, absolute URLs and /login loops all go to the queue")
    func refusesEscapes() {
        for value in Self.refused {
            #expect(LoginController.safeNext(value) == "/review", "\(value.debugDescription) must not be followed")
        }
        #expect(LoginController.safeNext(nil) == "/review")
    }

    @Test("a path on this site, with its query, is kept")
    func keepsLocalPaths() {
        #expect(LoginController.safeNext("/review?client=3&q=acme%20corp") == "/review?client=3&q=acme%20corp")
        #expect(LoginController.safeNext("/review/17?return_to=%2Freview") == "/review/17?return_to=%2Freview")
        #expect(LoginController.safeNext("/clients") == "/clients")
        #expect(LoginController.safeNext("/loginhelp") == "/loginhelp")
    }

    @Test("the login form sends a hostile next to the queue, end to end", arguments: [DatabaseDialect.sqlite])
    func endToEnd(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            _ = try await Seed.user(database, email: "sam@team.example")
            var web = WebClient(client)
            let form = try await web.request("/login?next=/%09/evil.example")
            #expect(!form.text.contains("evil.example"), "the form does not carry the hostile value on")
            let token = try #require(WebClient.firstMatch(#"name="_csrf" value="([^"]*)""#, in: form.text))
            let posted = try await web.post(
                "/login", [("_csrf", token), ("email", "sam@team.example"), ("password", "correct horse battery"), ("next", "/\t/evil.example")],
                csrf: false)
            #expect(posted.status == .seeOther)
            #expect(posted.location == "/review")
        }
    }
}
