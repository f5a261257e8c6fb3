import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing
import GreenlightTestSupport

@Suite("Sessions, throttling and audit")
struct SessionSecurityTests {
    @Test("after five failures, logins wait — the same for unknown accounts", arguments: DatabaseDialect.allCases)
    func throttling(_ dialect: DatabaseDialect) async throws {
        let clock = ManualClock()
        try await withApp(dialect, clock: clock) { database, client in
            _ = try await Seed.user(database, email: "sam@team.example")
            var web = WebClient(client)
            for _ in 0..<5 { #expect(try await web.login("sam@team.example", password: "guess").status == .unauthorized) }
            let keys = try await database.read { sql in
                try await sql.raw("SELECT key FROM login_attempts ORDER BY key").all().map { try $0.decode(column: "key", as: String.self) }
            }
            #expect(keys.count == 2 && keys.contains { $0.hasPrefix("account:") } && keys.contains { $0.hasPrefix("address:") })
            let locked = try await web.login("sam@team.example")
            #expect(locked.status == .tooManyRequests, "the fifth failure locks for 1 s, even the right password")
            #expect(locked.text.contains("Too many failed attempts. Try again in 1 second."))
            let unknown = try await web.login("ghost@team.example", password: "guess")
            #expect(unknown.status == .tooManyRequests, "the address is throttled too, whatever the account")
            clock.advance(by: .seconds(1))
            #expect(try await web.login("sam@team.example").status == .seeOther, "the lock ends when its time is up")
        }
    }

    @Test(
        "a session ends after idling and at its absolute end, never while used; login gives a new id; a password reset ends it",
        arguments: DatabaseDialect.allCases)
    func sessionLifetime(_ dialect: DatabaseDialect) async throws {
        let clock = ManualClock()
        try await TestDatabase.with(dialect) { database in
            let configuration = AppConfiguration(
                paths: TestDatabase.paths, bcryptCost: 4, sessionIdle: .seconds(2 * 3600), sessionLifetime: .seconds(12 * 3600), clock: clock.source)
            let app = try await buildApplication(configuration: configuration, database: database, logger: TestDatabase.logger)
            try await app.test(.router) { client in
                _ = try await Seed.user(database, email: "sam@team.example")
                var web = WebClient(client)
                let login = try await web.login("sam@team.example")
                let cookie = try #require(login.headers[values: .setCookie].first { $0.hasPrefix("greenlight_session=") })
                #expect(
                    !cookie.contains("Expires=") && !cookie.contains("Max-Age="),
                    "the cookie lives as long as the browser; the server alone ends the login (a cookie dated at login ended active users' day after 2 h)"
                )
                let first = web.cookies["greenlight_session"]
                // Active every 90 minutes: still logged in 10.5 hours later.
                for _ in 0..<7 {
                    clock.advance(by: .seconds(90 * 60))
                    #expect(try await web.request("/review").status == .ok, "an active session is renewed")
                }
                clock.advance(by: .seconds(90 * 60))
                #expect(try await web.request("/review").status == .seeOther, "12 hours after login it ends, however active")

                _ = try await web.login("sam@team.example")
                #expect(web.cookies["greenlight_session"] != first, "a new session id at each login")
                clock.advance(by: .seconds(2 * 3600 - 1))
                #expect(try await web.request("/review").status == .ok, "idle just under 2 hours")
                clock.advance(by: .seconds(2 * 3600 + 1))
                #expect(try await web.request("/review").status == .seeOther, "idle over 2 hours")

                _ = try await web.login("sam@team.example")
                _ = try await Seed.user(database, email: "sam@team.example")
                #expect(try await web.request("/review").status == .seeOther, "a password reset ends the session")
            }
        }
    }

    @Test("managers' and admins' actions are audited; only admins read the log", arguments: DatabaseDialect.allCases)
    func audit(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            _ = try await Seed.make(database, contacts: 2)
            _ = try await Seed.user(database, email: "boss@team.example", role: .manager, name: "Boss")
            _ = try await Seed.user(database, email: "root@team.example", role: .admin, name: "Root")
            let id = try await ReviewQueue(database: database).page(QueueFilter()).emails[0].id
            var boss = WebClient(client)
            _ = try await boss.login("boss@team.example")
            _ = try await boss.post("/review/\(id)/approve")
            _ = try await boss.post("/review/\(id)/undo")
            #expect(try await boss.request("/audit").status == .forbidden)
            var root = WebClient(client)
            _ = try await root.login("root@team.example")
            let log = try await root.request("/audit")
            #expect(log.status == .ok)
            #expect(log.text.contains("<td data-label=\"Who\">Boss</td><td data-label=\"Action\">undo</td><td data-label=\"On\">email \(id)</td>"))
        }
    }
}

@Suite("Concurrent session writes")
struct ConcurrentSessionTests {
    @Test("many requests renewing one session at once never collide", arguments: DatabaseDialect.allCases)
    func concurrentRenewal(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let driver = SQLPersistDriver(database: database)
            let user = try await Seed.user(database, email: "sam@team.example")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<32 {
                    group.addTask {
                        try await driver.set(
                            key: "session.same",
                            value: UserSession(userID: user.id, csrfToken: "t\(index)", createdAt: TimeSource.system.nowMillis()),
                            expires: .seconds(60))
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM sessions") == 1)
            let throttle = LoginThrottle(database: database, clock: ManualClock(startingAt: 1_000).source)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { try await throttle.reserve(keys: ["account:x"]) } }
                try await group.waitForAll()
            }
            #expect(try await Seed.count(database, "SELECT failures AS n FROM login_attempts") == 4, "every concurrent attempt counts")
        }
    }
}
