import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing
import GreenlightTestSupport

/// Bodies are refused before they are read when they cannot be accepted; the login form's CSRF check
/// and the route table match routes as the router does.
@Suite("Request limits and route matching")
struct RequestLimitTests {
    /// A live server on a free port, for requests a normal client would not send.
    static func withLiveApp(_ dialect: DatabaseDialect, _ body: @escaping @Sendable (Database, any TestClientProtocol) async throws -> Void)
        async throws
    {
        try await TestDatabase.with(dialect) { database in
            let configuration = AppConfiguration(port: 0, paths: TestDatabase.paths, bcryptCost: 4)
            let app = try await buildApplication(configuration: configuration, database: database, logger: TestDatabase.logger)
            try await app.test(.live) { client in try await body(database, client) }
        }
    }

    @Test(
        "posts that cannot succeed are refused before their body is sent: no login token, over the limit, no CSRF token",
        arguments: [DatabaseDialect.sqlite])
    func refusedBeforeReading(_ dialect: DatabaseDialect) async throws {
        try await Self.withLiveApp(dialect) { database, client in
            let port = try #require(client.port)
            // Headers promise a body that never comes: an answer can only come from a check made before reading.
            let anonymous = RawHTTP.exchange(
                port: port,
                request:
                    "POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 900000\r\n\r\n")
            #expect(anonymous?.hasPrefix("HTTP/1.1 403") == true, "no token cookie: refused without reading (got \(anonymous ?? "no answer"))")

            let withCookie = RawHTTP.exchange(
                port: port,
                request:
                    "POST /login HTTP/1.1\r\nHost: localhost\r\nCookie: greenlight_csrf=abc\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 20000000\r\n\r\n"
            )
            #expect(withCookie?.hasPrefix("HTTP/1.1 413") == true, "a form over 1 MB: 413 without reading (got \(withCookie ?? "no answer"))")

            _ = try await Seed.make(database, contacts: 1)
            _ = try await Seed.user(database, email: "sam@team.example")
            var web = WebClient(client)
            _ = try await web.login("sam@team.example")
            let session = try #require(web.cookies["greenlight_session"])
            let decision = RawHTTP.exchange(
                port: port,
                request:
                    "POST /review/1/approve HTTP/1.1\r\nHost: localhost\r\nCookie: greenlight_session=\(session)\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000000\r\n\r\n"
            )
            #expect(decision?.hasPrefix("HTTP/1.1 413") == true, "a 5 MB decision form: 413 without reading (got \(decision ?? "no answer"))")
            let json = RawHTTP.exchange(
                port: port,
                request:
                    "POST /api/v1/emails/1/approve HTTP/1.1\r\nHost: localhost\r\nCookie: greenlight_session=\(session)\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
            )
            #expect(json?.hasPrefix("HTTP/1.1 403") == true, "neither a CSRF header nor a form: refused without reading (got \(json ?? "no answer"))")
        }
    }

    @Test(
        "bodies over 1 MB answer 413 except the upload, which takes up to 20 MB; multipart part counts are bounded",
        arguments: DatabaseDialect.allCases)
    func limits(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 1)
            _ = try await Seed.user(database, email: "boss@team.example", role: .manager)
            var web = WebClient(client)
            _ = try await web.login("boss@team.example")
            let big = String(repeating: "x", count: 1_100_000)
            #expect(try await web.post("/review/1/edit", [("body", big)]).status == .contentTooLarge)
            #expect(
                try await web.request(
                    "/api/v1/emails/1/edit", method: .post, headers: [CSRFHeader.name: web.csrf], body: #"{"body": "\#(big)"}"#,
                    contentType: "application/json"
                ).status == .contentTooLarge)
            // An upload of 3 MB is fine (a real CSV, mostly padding in an extra column).
            let rows = (0..<100).map { "p\($0)@up.example,Up \($0)," + String(repeating: "y", count: 30_000) }.joined(separator: "\n")
            let upload = ImportPageTests.multipart(
                boundary: "b0undary", fields: [("_csrf", web.csrf), ("template", String(seed.templateID))],
                file: ("big.csv", "email,company,notes\n" + rows + "\n"))
            let imported = try await web.request("/import", method: .post, body: upload, contentType: "multipart/form-data; boundary=b0undary")
            #expect(imported.status == .seeOther, "a 3 MB upload is accepted (got \(imported.status.code))")
            let manyFields = (0..<MultipartForm.maximumParts).map { ("f\($0)", "v") }
            let tooMany = ImportPageTests.multipart(
                boundary: "b0undary", fields: [("_csrf", web.csrf), ("template", String(seed.templateID))] + manyFields,
                file: ("x.csv", "email,company\na@b.example,B\n"))
            let refused = try await web.request(
                "/import", method: .post, headers: [CSRFHeader.name: web.csrf], body: tooMany, contentType: "multipart/form-data; boundary=b0undary")
            #expect(refused.status == .badRequest, "more parts than any form has: 400 (got \(refused.status.code))")
        }
    }

    @Test("the login form's token is checked however the path is spelt", arguments: DatabaseDialect.allCases)
    func loginSpellings(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            _ = try await Seed.user(database, email: "sam@team.example")
            for path in ["/login", "//login", "/login/", "//login//"] {
                var web = WebClient(client)
                let page = try await web.post(path, [("email", "sam@team.example"), ("password", "correct horse battery")], csrf: false)
                #expect(page.status == .forbidden, "POST \(path) without the login token must be refused (got \(page.status.code))")
                #expect(web.cookies["greenlight_session"] == nil)
            }
        }
    }

    @Test("a path outside the route table is 404 without running a handler; a handler without a rule stops the build")
    func unknownRoutes() async throws {
        let ran = Flag()
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: AuthorizationMiddleware())
        router.get("/secret-without-rule") { _, _ -> String in
            ran.set()
            return "secret"
        }
        let app = Application(router: router)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/secret-without-rule", method: .get)
            #expect(response.status == .notFound)
        }
        #expect(!ran.value, "the handler must not run")
        #expect(throws: ConfigurationError.self) {
            try RoutePolicy.checkCovers(router.routes.map { ($0.method, $0.path.description) })
        }
        try RoutePolicy.checkCovers([(.get, "/review/{id}"), (.post, "/review/:id/approve")])
    }

    /// A flag set from a handler.
    final class Flag: Sendable {
        private let state = Mutex(false)
        func set() { state.withLock { $0 = true } }
        var value: Bool { state.withLock { $0 } }
    }
}
