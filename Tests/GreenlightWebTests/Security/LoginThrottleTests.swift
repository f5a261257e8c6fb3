import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing
import GreenlightTestSupport

/// The login throttle forgets, purges, and cannot be raced: the defects a review found in it.
@Suite("Login throttle")
struct LoginThrottleTests {
    @Test("locks double from the fifth failure up to 15 minutes; a right password gives the attempt back", arguments: DatabaseDialect.allCases)
    func doubling(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let clock = ManualClock(startingAt: 1_000_000_000)
            let throttle = LoginThrottle(database: database, clock: clock.source)
            let keys = LoginThrottle.keys(email: "a@x.example", address: "10.0.0.1")
            let both = [keys.account, keys.address]
            for _ in 0..<4 { try await throttle.reserve(keys: both) }
            #expect(try await throttle.waitMilliseconds(keys: both) == 0)
            try await throttle.reserve(keys: both)
            #expect(try await throttle.waitMilliseconds(keys: both) == 1_000)
            await #expect(throws: LoginThrottle.Locked.self) { try await throttle.reserve(keys: both) }
            clock.advance(by: .seconds(1))
            try await throttle.reserve(keys: both)
            #expect(try await throttle.waitMilliseconds(keys: both) == 2_000)
            for expected in [4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 512_000, 900_000, 900_000] {
                clock.advance(by: .seconds(15 * 60))
                try await throttle.reserve(keys: both)
                #expect(try await throttle.waitMilliseconds(keys: both) == expected)
            }
            clock.advance(by: .seconds(15 * 60))
            try await throttle.succeeded(account: keys.account, address: keys.address)
            #expect(try await throttle.waitMilliseconds(keys: both) == 0)
            #expect(
                try await Seed.count(database, "SELECT COUNT(*) AS n FROM login_attempts WHERE key LIKE 'account:%'") == 0,
                "a success clears the account")
        }
    }

    @Test("failures decay: an hour after the last one, the count starts again and the row is purged", arguments: DatabaseDialect.allCases)
    func decay(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let clock = ManualClock(startingAt: 1_000_000_000)
            let throttle = LoginThrottle(database: database, clock: clock.source)
            let office = LoginThrottle.keys(email: "x@x.example", address: "203.0.113.9").address
            // 25 failures from one office address, as an attacker would make them.
            for index in 0..<25 {
                try await throttle.reserve(keys: [LoginThrottle.keys(email: "user\(index)@x.example", address: "203.0.113.9").account, office])
                clock.advance(by: .seconds(15 * 60))
            }
            #expect(try await throttle.waitMilliseconds(keys: [office]) == 0, "each lock (at most 15 min) was waited out")
            #expect(try await Seed.count(database, "SELECT failures AS n FROM login_attempts WHERE key = '\(office)'") == 25)
            // An hour of quiet: the next attempt counts from one, and old rows are gone.
            clock.advance(by: .seconds(3600))
            let colleague = LoginThrottle.keys(email: "colleague@x.example", address: "203.0.113.9")
            try await throttle.reserve(keys: [colleague.account, colleague.address])
            #expect(
                try await Seed.count(database, "SELECT failures AS n FROM login_attempts WHERE key = '\(office)'") == 1,
                "the office address starts again from one failure instead of locking everyone for 15 minutes")
            #expect(try await throttle.waitMilliseconds(keys: [office]) == 0)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM login_attempts") == 2, "the 25 stale account rows were purged")
        }
    }

    @Test("50 concurrent wrong passwords: at most 5 are checked, the rest wait", arguments: DatabaseDialect.allCases)
    func raceIsReserved(_ dialect: DatabaseDialect) async throws {
        let clock = ManualClock()
        try await withApp(dialect, clock: clock) { database, client in
            _ = try await Seed.user(database, email: "sam@team.example")
            var web = WebClient(client)
            let form = try await web.request("/login")
            let token = try #require(WebClient.firstMatch(#"name="_csrf" value="([^"]*)""#, in: form.text))
            let cookie = "greenlight_csrf=\(token)"
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let body = "_csrf=\(token)&email=sam%40team.example&password=guess\(index)"
                        return try await client.execute(
                            uri: "/login", method: .post,
                            headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                            body: .init(string: body)
                        ).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            let checked = statuses.filter { $0 == .unauthorized }.count
            let refused = statuses.filter { $0 == .tooManyRequests }.count
            #expect(checked == LoginThrottle.freeFailures, "exactly the free attempts reach bcrypt (got \(checked))")
            #expect(checked + refused == 50)
            #expect(try await Seed.count(database, "SELECT MAX(failures) AS n FROM login_attempts") == LoginThrottle.freeFailures)
        }
    }

    @Test("behind a trusted proxy each client has its own count; an untrusted peer's X-Forwarded-For is ignored", arguments: [DatabaseDialect.sqlite])
    func trustedProxy(_ dialect: DatabaseDialect) async throws {
        let addresses = ClientAddress(trustedProxies: [try IPAddressRange(parsing: "10.0.0.0/8"), try IPAddressRange(parsing: "::1")])
        #expect(addresses.resolve(peer: "10.1.2.3", forwardedFor: ["198.51.100.7"]) == "198.51.100.7")
        #expect(
            addresses.resolve(peer: "10.1.2.3", forwardedFor: ["6.6.6.6, 198.51.100.7, 10.9.9.9"]) == "198.51.100.7",
            "read right to left past trusted hops; the leftmost entries are the client's own words")
        #expect(addresses.resolve(peer: "::1", forwardedFor: ["2001:db8::5"]) == "2001:db8::5")
        #expect(addresses.resolve(peer: "192.0.2.1", forwardedFor: ["198.51.100.7"]) == "192.0.2.1", "not a trusted peer: header ignored")
        #expect(addresses.resolve(peer: "10.1.2.3", forwardedFor: ["not-an-address"]) == "10.1.2.3")
        #expect(addresses.resolve(peer: "10.1.2.3", forwardedFor: []) == "10.1.2.3")
        #expect(ClientAddress().resolve(peer: "10.1.2.3", forwardedFor: ["198.51.100.7"]) == "10.1.2.3", "no proxy trusted by default")
        #expect(try IPAddressRange(parsing: "192.168.0.0/16").contains("::ffff:192.168.4.4"))
        #expect(!(try IPAddressRange(parsing: "192.168.0.0/16").contains("192.169.0.1")))
        #expect(try IPAddressRange(parsing: "2001:db8::/32").contains("2001:db8:ffff::1"))
        #expect(throws: ConfigurationError.self) { try IPAddressRange(parsing: "10.0.0.0/33") }
        #expect(throws: ConfigurationError.self) { try IPAddressRange(parsing: "proxy.example") }
    }
}
