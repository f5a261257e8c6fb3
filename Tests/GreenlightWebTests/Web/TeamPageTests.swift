import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import HTTPTypes
import SQLKit
import Testing
import GreenlightTestSupport

/// The team in the browser on both databases (issue 31): an admin invites an SDR, the SDR follows the
/// link and sees only her client's queue; bad forms come back with the values and the message beside
/// the field (422, nothing saved); a change of role signs the user out; a user changes their own
/// password and signs out their other sessions; a manager makes an API key the API then accepts, and
/// sets the model budgets.
@Suite("Team pages, account, API keys and budgets", .timeLimit(.minutes(15)))
struct TeamPageTests {
    static func linkPath(_ page: WebClient.Page) -> String? {
        WebClient.firstMatch(#"value="https?://[^/"]+(/set-password/[A-Za-z0-9_-]+)""#, in: page.text)
    }

    static func field(_ name: String, in text: String) -> String? {
        WebClient.firstMatch(#"name="\#(name)" value="([^"]*)""#, in: text)
    }

    @Test("invite an SDR, who sets her password and sees only her client's queue", arguments: DatabaseDialect.allCases)
    func inviteJourney(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let north = try await Seed.make(database, contacts: 4)
            _ = try await Seed.make(database, contacts: 4, clientName: "Southwind")
            _ = try await Seed.user(database, email: "ada@team.example", role: .admin)
            var admin = WebClient(client)
            try await admin.login("ada@team.example")
            let team = try await admin.request("/team")
            #expect(team.status == .ok && team.text.contains("Invite someone") && team.text.contains("sends no email"))

            // A bad form: the values back, the message beside the field, nothing saved.
            let bad = try await admin.post("/team/invitations", [("email", "sia@"), ("role", "sdr"), ("client_\(north.clientID)", "on")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains(#"id="invite-email-error">&quot;sia@&quot; is not a valid email address"#), "\(bad.text.prefix(0))")
            #expect(bad.text.contains(#"value="sia@""#))
            #expect(bad.text.contains(#"name="client_\#(north.clientID)" checked"#))
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM user_links") == 0)

            let made = try await admin.post(
                "/team/invitations", [("email", "sia@team.example"), ("role", "sdr"), ("client_\(north.clientID)", "on")])
            #expect(made.status == .ok)
            let path = try #require(Self.linkPath(made), "the link is shown once")
            #expect(made.text.contains("pending"))
            let again = try await admin.request("/team")
            #expect(!again.text.contains(path), "and never again")

            var sia = WebClient(client)
            let form = try await sia.request(path)
            #expect(form.status == .ok && form.text.contains("sia@team.example"))
            let token = try #require(Self.field("_csrf", in: form.text))
            let short = try await sia.post(
                path, [("_csrf", token), ("name", "Sia Lee"), ("password", "short"), ("confirmation", "short")], csrf: false)
            #expect(short.status == .unprocessableContent)
            #expect(short.text.contains(#"id="set-password-error">the password must have at least 8 characters"#))
            #expect(short.text.contains(#"value="Sia Lee""#))
            let noToken = try await sia.post(path, [("name", "Sia Lee"), ("password", "long enough"), ("confirmation", "long enough")], csrf: false)
            #expect(noToken.status == .forbidden, "the form's token is required")
            let done = try await sia.post(
                path, [("_csrf", token), ("name", "Sia Lee"), ("password", "long enough"), ("confirmation", "long enough")], csrf: false)
            #expect(done.status == .seeOther && done.location == "/review")
            let queue = try await sia.request("/review")
            #expect(queue.status == .ok && queue.text.contains("Sia Lee") && queue.text.contains("Welcome, Sia Lee"))
            #expect(queue.text.contains("Northwind Ledger") && !queue.text.contains("Southwind"), "only her client's emails")
            #expect(try await sia.request("/team").status == .forbidden)
            var stranger = WebClient(client)
            #expect(try await stranger.request(path).status == .notFound, "used once")
            #expect(try await stranger.request("/set-password/not-a-token").status == .notFound)
            var reLogin = WebClient(client)
            #expect(try await reLogin.login("sia@team.example", password: "long enough").status == .seeOther)
            let listed = try await admin.request("/team")
            #expect(listed.text.contains("Sia Lee") && listed.text.contains("used"))
        }
    }

    @Test("a manager sees no admin and cannot act on one; a change of role signs the user out", arguments: DatabaseDialect.allCases)
    func managerScope(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let north = try await Seed.make(database, contacts: 2)
            let south = try await Seed.make(database, contacts: 2, clientName: "Southwind")
            let admin = try await Seed.user(database, email: "ada@team.example", role: .admin)
            _ = try await Seed.user(database, email: "max@team.example", role: .manager, clients: [north.clientID])
            let sam = try await Seed.user(database, email: "sam@team.example", role: .sdr, clients: [north.clientID])
            var manager = WebClient(client)
            try await manager.login("max@team.example")
            let team = try await manager.request("/team")
            #expect(team.text.contains("sam@team.example") && !team.text.contains("ada@team.example"))
            #expect(!team.text.contains(#"<option value="admin""#), "a manager is offered no admin role")
            #expect(!team.text.contains("Southwind"), "nor a client they do not see")
            #expect(try await manager.request("/team/users/\(admin.id)").status == .notFound)
            #expect(try await manager.post("/team/users/\(admin.id)/deactivate").status == .notFound)
            #expect(try await manager.post("/team/users/\(admin.id)/reset").status == .notFound)
            let crafted = try await manager.post(
                "/team/invitations", [("email", "x@team.example"), ("role", "admin"), ("client_\(north.clientID)", "on")])
            #expect(crafted.status == .unprocessableContent && crafted.text.contains("only an admin may make someone an admin"))
            let otherClient = try await manager.post(
                "/team/invitations", [("email", "x@team.example"), ("role", "sdr"), ("client_\(south.clientID)", "on")])
            #expect(otherClient.status == .unprocessableContent && otherClient.text.contains("is not one you work on"))

            var samClient = WebClient(client)
            try await samClient.login("sam@team.example")
            #expect(try await samClient.request("/review").status == .ok)
            let changed = try await manager.post("/team/users/\(sam.id)", [("role", "manager"), ("client_\(north.clientID)", "on")])
            #expect(changed.status == .seeOther)
            let after = try await samClient.request("/review")
            #expect(after.status == .seeOther && after.location?.hasPrefix("/login") == true, "signed out by the change")
            try await samClient.login("sam@team.example")
            #expect(try await samClient.request("/team").status == .ok, "a manager now")

            let deactivated = try await manager.post("/team/users/\(sam.id)/deactivate")
            #expect(deactivated.status == .seeOther)
            #expect(try await samClient.request("/review").status == .seeOther)
            var retry = WebClient(client)
            #expect(try await retry.login("sam@team.example").status == .unauthorized)
            let own = try await manager.request(
                "/team/users/\(try #require(try await UserRepository(database: database).find(email: "max@team.example")).id)")
            #expect(own.status == .ok && own.text.contains("This is you"))
        }
    }

    @Test("one's own password and other sessions", arguments: DatabaseDialect.allCases)
    func account(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            _ = try await Seed.make(database, contacts: 0, generate: false)
            _ = try await Seed.user(database, email: "sam@team.example", role: .sdr)
            var here = WebClient(client)
            var there = WebClient(client)
            try await here.login("sam@team.example")
            try await there.login("sam@team.example")
            let page = try await here.request("/account")
            #expect(page.status == .ok && page.text.contains("also signed in 1 other time"))
            let wrong = try await here.post(
                "/account/password", [("current", "nope"), ("password", "new password"), ("confirmation", "new password")])
            #expect(wrong.status == .unprocessableContent && wrong.text.contains(#"id="account-current-error">the current password is not right"#))
            #expect(try await there.request("/review").status == .ok, "nothing changed")
            let changed = try await here.post(
                "/account/password", [("current", "correct horse battery"), ("password", "new password"), ("confirmation", "new password")])
            #expect(changed.status == .seeOther)
            #expect(try await here.request("/review").status == .ok, "this session stays")
            #expect(try await there.request("/review").status == .seeOther, "the other one ended")
            try await there.login("sam@team.example", password: "new password")
            #expect(try await here.post("/account/sessions/end").status == .seeOther)
            #expect(try await there.request("/review").status == .seeOther)
            #expect(try await here.request("/review").status == .ok)
            let audit = try await AuditLog(database: database).recent().map(\.action)
            #expect(audit.contains("password changed") && audit.contains("other sessions ended"))
        }
    }

    @Test("a manager makes an API key, shown once, that the API accepts until it is revoked; budgets", arguments: DatabaseDialect.allCases)
    func keysAndBudgets(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let north = try await Seed.make(database, contacts: 2)
            let south = try await Seed.make(database, contacts: 0, clientName: "Southwind", generate: false)
            _ = try await Seed.user(database, email: "max@team.example", role: .manager, clients: [north.clientID])
            _ = try await Seed.user(database, email: "sam@team.example", role: .sdr, clients: [north.clientID])
            var manager = WebClient(client)
            try await manager.login("max@team.example")
            let empty = try await manager.post("/clients/\(north.clientID)/keys", [("name", "  "), ("role", "reviewer")])
            #expect(empty.status == .unprocessableContent && empty.text.contains(#"id="key-name-error">give the key a name"#))
            let made = try await manager.post("/clients/\(north.clientID)/keys", [("name", "clay"), ("role", "reviewer")])
            #expect(made.status == .created)
            let key = try #require(WebClient.firstMatch(#"value="(gl_[A-Za-z0-9_-]+)""#, in: made.text))
            var api = WebClient(client)
            let answer = try await api.request("/api/v1/emails", headers: [.authorization: "Bearer \(key)", .accept: "application/json"])
            #expect(answer.status == .ok)
            let page = try await manager.request("/clients/\(north.clientID)")
            #expect(!page.text.contains(key) && page.text.contains("…" + key.suffix(4)), "only its last four characters")
            let id = try #require(WebClient.firstMatch(#"/keys/(\d+)/revoke"#, in: page.text))
            #expect(try await manager.post("/clients/\(south.clientID)/keys", [("name", "x"), ("role", "reviewer")]).status == .notFound)
            #expect(try await manager.post("/clients/\(south.clientID)/keys/\(id)/revoke").status == .notFound)
            #expect(try await manager.post("/clients/\(north.clientID)/keys/\(id)/revoke").status == .seeOther)
            let refused = try await api.request("/api/v1/emails", headers: [.authorization: "Bearer \(key)", .accept: "application/json"])
            #expect(refused.status == .unauthorized)

            let ledger = SpendLedger(database: database)
            let badBudget = try await manager.post("/clients/\(north.clientID)/budgets", [("hourly", "lots"), ("daily", "40")])
            #expect(badBudget.status == .unprocessableContent)
            #expect(badBudget.text.contains(#"id="budget-hourly-error">the hourly budget: &quot;lots&quot; is not a dollar amount"#))
            #expect(badBudget.text.contains(#"value="lots""#) && badBudget.text.contains(#"value="40""#))
            #expect(try await ledger.budgets(clientID: north.clientID) == .init(hourly: nil, daily: nil), "nothing saved")
            #expect(try await manager.post("/clients/\(north.clientID)/budgets", [("hourly", "$5"), ("daily", "")]).status == .seeOther)
            #expect(try await ledger.budgets(clientID: north.clientID) == .init(hourly: 5, daily: nil))
            let entries = try await AuditLog(database: database).recent()
            #expect(
                entries.contains {
                    $0.action == "model budget changed" && $0.details == "no limit an hour, no limit a day → $5.00 an hour, no limit a day"
                })
            #expect(entries.contains { $0.action == "API key created" && $0.details == "clay (reviewer)" && !$0.details.contains(key) })
            #expect(entries.contains { $0.action == "API key revoked" && $0.details == "clay" })

            var sdr = WebClient(client)
            try await sdr.login("sam@team.example")
            let sdrPage = try await sdr.request("/clients/\(north.clientID)")
            #expect(sdrPage.status == .ok && !sdrPage.text.contains("Make an API key") && !sdrPage.text.contains("Save the budgets"))
            #expect(try await sdr.post("/clients/\(north.clientID)/keys", [("name", "x"), ("role", "manager")]).status == .forbidden)
            #expect(try await sdr.post("/clients/\(north.clientID)/budgets", [("hourly", "1")]).status == .forbidden)
        }
    }
}
