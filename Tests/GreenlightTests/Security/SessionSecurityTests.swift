import Foundation
import Greenlight
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Sessions, throttling and audit")
struct SessionSecurityTests {
    @Test("after five failures, logins wait — the same for unknown accounts", arguments: DatabaseDialect.allCases)
    func throttling(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            _ = try await Seed.user(database, email: "sam@team.example")
            var web = WebClient(client)
            for _ in 0..<5 { #expect(try await web.login("sam@team.example", password: "guess").status == .unauthorized) }
            // The fifth failure locks for 1 s; push both locks far out so a slow machine cannot outwait them.
            let keys = try await database.read { sql in
                try await sql.raw("SELECT key FROM login_attempts ORDER BY key").all().map { try $0.decode(column: "key", as: String.self) }
            }
            #expect(keys.count == 2 && keys.contains { $0.hasPrefix("account:") } && keys.contains { $0.hasPrefix("address:") })
            for _ in 0..<10 { try await LoginThrottle(database: database).recordFailure(keys: keys) }
            let locked = try await web.login("sam@team.example")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.text.contains("Too many failed attempts"))
            let unknown = try await web.login("ghost@team.example", password: "guess")
            #expect(unknown.status == .tooManyRequests, "the address is throttled too, whatever the account")
        }
        let throttle = { (database: Database) in LoginThrottle(database: database) }
        try await TestDatabase.with(dialect) { database in
            let keys = LoginThrottle.keys(email: "a@x.example", address: "10.0.0.1")
            let now = 1_000_000
            for _ in 0..<4 { try await throttle(database).recordFailure(keys: keys, now: now) }
            #expect(try await throttle(database).waitMilliseconds(keys: keys, now: now) == 0)
            try await throttle(database).recordFailure(keys: keys, now: now)
            #expect(try await throttle(database).waitMilliseconds(keys: keys, now: now) == 1_000)
            try await throttle(database).recordFailure(keys: keys, now: now)
            #expect(try await throttle(database).waitMilliseconds(keys: keys, now: now) == 2_000)
            for _ in 0..<30 { try await throttle(database).recordFailure(keys: keys, now: now) }
            #expect(try await throttle(database).waitMilliseconds(keys: keys, now: now) == LoginThrottle.longestLock)
            try await throttle(database).recordSuccess(keys: keys)
            #expect(try await throttle(database).waitMilliseconds(keys: keys, now: now) == 0)
        }
    }

    @Test("a session ends after idling, at logout, and when the password is reset; login gives a new id", arguments: [DatabaseDialect.sqlite])
    func sessionLifetime(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let configuration = AppConfiguration(paths: TestDatabase.paths, bcryptCost: 4, sessionIdle: .seconds(3), sessionLifetime: .seconds(3600))
            let app = try await buildApplication(configuration: configuration, database: database, logger: TestDatabase.logger)
            try await app.test(.router) { client in
                _ = try await Seed.user(database, email: "sam@team.example")
                var web = WebClient(client)
                _ = try await web.login("sam@team.example")
                let first = web.cookies["greenlight_session"]
                #expect(try await web.request("/review").status == .ok)
                try await Task.sleep(for: .milliseconds(3_500))
                #expect(try await web.request("/review").status == .seeOther, "idle too long")
                _ = try await web.login("sam@team.example")
                #expect(web.cookies["greenlight_session"] != first, "a new session id at each login")
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
            #expect(log.text.contains("<td>Boss</td><td>undo</td><td>email \(id)</td>"))
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
                        try await driver.set(key: "session.same", value: UserSession(userID: user.id, csrfToken: "t\(index)"), expires: .seconds(60))
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM sessions") == 1)
            let throttle = LoginThrottle(database: database)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<10 { group.addTask { try await throttle.recordFailure(keys: ["account:x"], now: 1_000) } }
                try await group.waitForAll()
            }
            #expect(try await Seed.count(database, "SELECT failures AS n FROM login_attempts") == 10, "every concurrent failure counts")
        }
    }
}
