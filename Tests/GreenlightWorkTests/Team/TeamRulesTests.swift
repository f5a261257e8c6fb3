import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// The team's rules on both databases, below the pages: what a manager may grant and to whom,
/// one-time links (72 hours, once, revocable, replaced by a resend), and the sessions a change ends
/// (issue 31, §1).
@Suite("Team: invitations, resets, roles and clients", .timeLimit(.minutes(15)))
struct TeamRulesTests {
    struct World {
        var database: Database
        var north: Int
        var south: Int
        var admin: TeamActor
        var manager: TeamActor
        var clock: ManualClock
        var links: UserLinks
        var directory: TeamDirectory
    }

    static func world(_ dialect: DatabaseDialect, _ body: @escaping @Sendable (World) async throws -> Void) async throws {
        try await TestDatabase.with(dialect) { database in
            let north = try await Seed.make(database, contacts: 0, generate: false).clientID
            let south = try await Seed.make(database, contacts: 0, clientName: "Southwind", generate: false).clientID
            let admin = try await Seed.user(database, email: "ada@team.example", role: .admin)
            let manager = try await Seed.user(database, email: "max@team.example", role: .manager, clients: [north])
            let clock = ManualClock(startingAt: 1_800_000_000_000)
            try await body(
                World(
                    database: database, north: north, south: south, admin: TeamActor(user: admin, clientIDs: nil),
                    manager: TeamActor(user: manager, clientIDs: [north]), clock: clock,
                    links: UserLinks(database: database, hasher: PasswordHasher(cost: 4), clock: clock.source),
                    directory: TeamDirectory(database: database, clock: clock.source)))
        }
    }

    static func count(_ database: Database, _ table: String) async throws -> Int {
        try await Seed.count(database, "SELECT COUNT(*) AS n FROM \(table)")
    }

    @Test("an invitation makes the user with its role and clients, once; the password follows the rules", arguments: DatabaseDialect.allCases)
    func invitation(_ dialect: DatabaseDialect) async throws {
        try await Self.world(dialect) { world in
            let made = try await world.links.invite(email: " Sia@Team.Example ", role: .sdr, clients: [world.north], by: world.manager)
            #expect(made.link.email == "sia@team.example")
            #expect(made.token.count >= 40)
            let stored = try await world.database.read { sql in
                try await sql.raw("SELECT token_hash FROM user_links").first()?.decode(column: "token_hash", as: String.self)
            }
            #expect(stored == SecureToken.sha256(made.token), "only the hash is stored")
            let users = try await Self.count(world.database, "users")
            for (password, confirmation, message) in [
                ("short", "short", "at least 8 characters"), ("long enough", "long enougH", "the two passwords differ"),
                (String(repeating: "é", count: 40), String(repeating: "é", count: 40), "at most 72 bytes"),
            ] {
                let error = await #expect(throws: InputError.self) {
                    _ = try await world.links.accept(token: made.token, name: "Sia", password: password, confirmation: confirmation)
                }
                #expect(error?.message.contains(message) == true, "\(String(describing: error))")
            }
            #expect(try await Self.count(world.database, "users") == users, "nothing saved")
            #expect(try await world.links.open(token: made.token) != nil, "a refused form does not use the link")
            let user = try await world.links.accept(token: made.token, name: "  ", password: "long enough", confirmation: "long enough")
            #expect(user.role == .sdr && user.name == "Sia" && user.email == "sia@team.example")
            let member = try await world.directory.member(id: user.id, visibleTo: world.admin)
            #expect(member.clientIDs == [world.north] && member.lastSignInAt == world.clock.nowMillis)
            await #expect(throws: NotFound.self) {
                _ = try await world.links.accept(token: made.token, name: nil, password: "another one", confirmation: "another one")
            }
            #expect(try await world.links.open(token: made.token) == nil)
            let authenticated = try await UserRepository(database: world.database, hasher: PasswordHasher(cost: 4)).authenticate(
                email: "sia@team.example", password: "long enough")
            #expect(authenticated?.id == user.id)
            let audit = try await AuditLog(database: world.database).recent()
            #expect(
                audit.contains { $0.action == "user invited" && $0.target == "sia@team.example" && $0.details.contains("clients Northwind Ledger") })
            #expect(audit.contains { $0.action == "invitation accepted" })
            #expect(!audit.contains { $0.details.contains("long enough") || $0.details.contains(made.token) })
        }
    }

    @Test("two people submitting one link at once: one account", arguments: DatabaseDialect.allCases)
    func acceptedOnce(_ dialect: DatabaseDialect) async throws {
        try await Self.world(dialect) { world in
            let made = try await world.links.invite(email: "twice@team.example", role: .sdr, clients: [world.north], by: world.admin)
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<4 {
                    group.addTask {
                        (try? await world.links.accept(token: made.token, name: "T\(index)", password: "long enough", confirmation: "long enough"))
                            != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(try await Seed.count(world.database, "SELECT COUNT(*) AS n FROM users WHERE email = 'twice@team.example'") == 1)
        }
    }

    @Test("a link lasts 72 hours; a resend replaces it; a revoked one stops", arguments: DatabaseDialect.allCases)
    func lifetime(_ dialect: DatabaseDialect) async throws {
        try await Self.world(dialect) { world in
            let first = try await world.links.invite(email: "late@team.example", role: .sdr, clients: [world.north], by: world.manager)
            world.clock.advance(by: .seconds(72 * 3600 - 1))
            #expect(try await world.links.open(token: first.token) != nil)
            world.clock.advance(by: .seconds(1))
            #expect(try await world.links.open(token: first.token) == nil, "expired at 72 h")
            let second = try await world.links.resend(linkID: first.link.id, by: world.manager)
            #expect(try await world.links.open(token: second.token) != nil)
            let third = try await world.links.resend(linkID: second.link.id, by: world.admin)
            #expect(try await world.links.open(token: second.token) == nil, "a resend revokes the link it replaces")
            _ = try await world.links.revoke(linkID: third.link.id, by: world.manager)
            #expect(try await world.links.open(token: third.token) == nil)
            let again = await #expect(throws: InputError.self) { _ = try await world.links.resend(linkID: third.link.id, by: world.admin) }
            #expect(again?.message.contains("revoked") == true)
            let pending = try await world.links.invite(email: "pending@team.example", role: .sdr, clients: [world.north], by: world.admin)
            let duplicate = await #expect(throws: InputError.self) {
                _ = try await world.links.invite(email: "PENDING@team.example", role: .manager, clients: [world.north], by: world.admin)
            }
            #expect(duplicate?.message.contains("already has a pending invitation") == true)
            let existing = await #expect(throws: InputError.self) {
                _ = try await world.links.invite(email: "max@team.example", role: .sdr, clients: [world.north], by: world.admin)
            }
            #expect(existing?.message.contains("already has an account") == true)
            #expect(try await world.links.open(token: pending.token) != nil)
        }
    }

    @Test("a manager grants no admin and no client they do not see, and never acts on an admin", arguments: DatabaseDialect.allCases)
    func managerLimits(_ dialect: DatabaseDialect) async throws {
        try await Self.world(dialect) { world in
            let links = try await Self.count(world.database, "user_links")
            for (role, clients, message) in [
                (Role.admin, [world.north], "only an admin may make someone an admin"), (.sdr, [world.south], "is not one you work on"),
                (.sdr, [], "choose at least one client"), (.manager, [world.north, 9999], "is not one you work on"),
            ] {
                let error = await #expect(throws: InputError.self) {
                    _ = try await world.links.invite(email: "new@team.example", role: role, clients: clients, by: world.manager)
                }
                #expect(error?.message.contains(message) == true, "\(role) \(clients): \(String(describing: error))")
            }
            #expect(try await Self.count(world.database, "user_links") == links, "nothing saved")
            let both = try await Seed.user(world.database, email: "both@team.example", role: .sdr, clients: [world.north, world.south])
            let southOnly = try await Seed.user(world.database, email: "south@team.example", role: .sdr, clients: [world.south])
            let visible = try await world.directory.members(visibleTo: world.manager).map(\.email)
            #expect(visible.sorted() == ["both@team.example", "max@team.example"], "\(visible)")
            await #expect(throws: NotFound.self) { _ = try await world.directory.member(id: world.admin.user.id, visibleTo: world.manager) }
            await #expect(throws: NotFound.self) { _ = try await world.directory.member(id: southOnly.id, visibleTo: world.manager) }
            await #expect(throws: NotFound.self) { try await world.directory.setActive(false, memberID: world.admin.user.id, by: world.manager) }
            await #expect(throws: NotFound.self) { _ = try await world.links.reset(memberID: world.admin.user.id, by: world.manager) }
            // Taking North away from someone who also works on South keeps South, which the manager does not see.
            let changed = try await world.directory.change(memberID: both.id, role: .manager, clients: [world.north], by: world.manager)
            #expect(changed.clientIDs.sorted() == [world.north, world.south].sorted())
            let noClient = await #expect(throws: InputError.self) {
                try await world.directory.change(memberID: both.id, role: .sdr, clients: [], by: world.manager)
            }
            #expect(noClient?.message.contains("choose at least one client") == true)
            let promote = await #expect(throws: InputError.self) {
                try await world.directory.change(memberID: both.id, role: .admin, clients: [world.north], by: world.manager)
            }
            #expect(promote?.message.contains("only an admin") == true)
            let own = await #expect(throws: InputError.self) {
                try await world.directory.setActive(false, memberID: world.manager.user.id, by: world.manager)
            }
            #expect(own?.message.contains("you cannot deactivate yourself") == true)
            let ownAdmin = await #expect(throws: InputError.self) {
                try await world.directory.change(memberID: world.admin.user.id, role: .sdr, clients: [world.north], by: world.admin)
            }
            #expect(ownAdmin?.message.contains("yourself") == true)
        }
    }

    @Test(
        "changing a role or clients, deactivating, or a reset ends the user's sessions; audit says before and after",
        arguments: DatabaseDialect.allCases)
    func sessionsEnd(_ dialect: DatabaseDialect) async throws {
        try await Self.world(dialect) { world in
            let sdr = try await Seed.user(world.database, email: "sam@team.example", role: .sdr, clients: [world.north])
            func signIn() async throws {
                try await world.database.write { sql in
                    try await sql.raw(
                        "INSERT INTO sessions (key_hash, user_id, value) VALUES (\(bind: SecureToken.make()), \(bind: sdr.id), '{}')"
                    ).run()
                }
            }
            func sessions() async throws -> Int {
                try await Seed.count(world.database, "SELECT COUNT(*) AS n FROM sessions WHERE user_id = \(sdr.id)")
            }
            try await signIn()
            try await world.directory.change(memberID: sdr.id, role: .sdr, clients: [world.north], by: world.admin)
            #expect(try await sessions() == 1, "no change, no sign-out")
            try await world.directory.change(memberID: sdr.id, role: .manager, clients: [world.north, world.south], by: world.admin)
            #expect(try await sessions() == 0)
            let entry = try await AuditLog(database: world.database).recent().first
            #expect(entry?.action == "user changed")
            #expect(entry?.details == "role sdr → manager; clients Northwind Ledger → Northwind Ledger, Southwind; sessions ended")
            try await signIn()
            try await world.directory.setActive(false, memberID: sdr.id, by: world.manager)
            #expect(try await sessions() == 0)
            let users = UserRepository(database: world.database, hasher: PasswordHasher(cost: 4))
            #expect(try await users.authenticate(email: "sam@team.example", password: "correct horse battery") == nil, "deactivated")
            let deactivated = await #expect(throws: InputError.self) { _ = try await world.links.reset(memberID: sdr.id, by: world.admin) }
            #expect(deactivated?.message.contains("reactivate them first") == true)
            try await world.directory.setActive(true, memberID: sdr.id, by: world.manager)
            #expect(try await users.authenticate(email: "sam@team.example", password: "correct horse battery") != nil)
            try await signIn()
            let reset = try await world.links.reset(memberID: sdr.id, by: world.manager)
            let older = try await world.links.reset(memberID: sdr.id, by: world.admin)
            #expect(try await world.links.open(token: reset.token) == nil, "a newer reset link replaces the older")
            _ = try await world.links.accept(token: older.token, name: "ignored", password: "brand new pass", confirmation: "brand new pass")
            #expect(try await sessions() == 0)
            #expect(try await users.authenticate(email: "sam@team.example", password: "correct horse battery") == nil)
            #expect(try await users.authenticate(email: "sam@team.example", password: "brand new pass")?.name == sdr.name)
        }
    }
}
