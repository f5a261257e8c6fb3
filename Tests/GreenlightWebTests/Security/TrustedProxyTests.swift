import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import HTTPTypes
import HummingbirdTesting
import Testing
import GreenlightTestSupport

/// Through a live server: behind a trusted proxy each client address has its own login throttle;
/// without the setting, `X-Forwarded-For` is ignored and the connection's address counts.
@Suite("Trusted proxy")
struct TrustedProxyTests {
    static func failLogin(_ client: any TestClientProtocol, account: String, forwardedFor: String) async throws -> HTTPResponse.Status {
        var web = WebClient(client)
        let form = try await web.request("/login")
        let token = WebClient.firstMatch(#"name="_csrf" value="([^"]*)""#, in: form.text) ?? ""
        return try await web.post(
            "/login", [("_csrf", token), ("email", account), ("password", "wrong")], csrf: false,
            headers: [HTTPField.Name("X-Forwarded-For")!: forwardedFor]
        ).status
    }

    @Test("five failures from one forwarded address throttle that address only, and only when the proxy is trusted", arguments: [true, false])
    func perClientAddress(_ trusted: Bool) async throws {
        try await TestDatabase.with(.sqlite) { database in
            let proxies = trusted ? [try IPAddressRange(parsing: "127.0.0.0/8"), try IPAddressRange(parsing: "::1")] : []
            // A clock that stands still: the fifth failure's 1-second lock cannot run out on a slow machine.
            let configuration = AppConfiguration(
                port: 0, paths: TestDatabase.paths, bcryptCost: 4, trustedProxies: proxies, clock: ManualClock().source)
            let app = try await buildApplication(configuration: configuration, database: database, logger: TestDatabase.logger)
            try await app.test(.live) { client in
                for index in 0..<5 {
                    #expect(try await Self.failLogin(client, account: "guess\(index)@x.example", forwardedFor: "198.51.100.1") == .unauthorized)
                }
                #expect(try await Self.failLogin(client, account: "another@x.example", forwardedFor: "198.51.100.1") == .tooManyRequests)
                let colleague = try await Self.failLogin(client, account: "colleague@x.example", forwardedFor: "198.51.100.2")
                #expect(
                    colleague == (trusted ? .unauthorized : .tooManyRequests),
                    trusted
                        ? "another client behind the proxy is not locked out" : "untrusted: the header is ignored, everyone shares the peer's address"
                )
            }
        }
    }
}
