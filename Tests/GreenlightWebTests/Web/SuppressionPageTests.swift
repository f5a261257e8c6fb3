import Foundation
@testable import GreenlightCore
@testable import GreenlightWork
@testable import GreenlightWeb
import HTTPTypes
import SQLKit
import Testing
import GreenlightTestSupport

/// The suppression list on a client's page: a manager marks an address or a domain do-not-contact and
/// takes it off again (audited); a wrong entry comes back with the message beside the field and
/// nothing added; an SDR sees the list without the forms and may not post to it.
@Suite("Suppression list page")
struct SuppressionPageTests {
    @Test("a manager adds and removes entries; a wrong one is refused beside its field; an SDR only reads", arguments: DatabaseDialect.allCases)
    func addAndRemove(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 3)
            _ = try await Seed.user(database, email: "mona@team.example", role: .manager)
            _ = try await Seed.user(database, email: "sam@team.example", role: .sdr)
            var web = WebClient(client)
            _ = try await web.login("mona@team.example")
            _ = try await web.request("/clients/\(seed.clientID)")

            let wrong = try await web.post("/clients/\(seed.clientID)/suppressions", [("address", "not an address"), ("note", "n")])
            #expect(wrong.status == .unprocessableContent)
            #expect(
                wrong.text.contains(#"id="suppress-address-error">&quot;not an address&quot; is neither an email address nor a domain"#),
                "\(wrong.text.prefix(0))")
            #expect(wrong.text.contains(#"value="not an address""#), "the form keeps what was typed")
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM suppressions") == 0)

            let added = try await web.post("/clients/\(seed.clientID)/suppressions", [("address", "@Acme.Example"), ("note", "asked by phone")])
            #expect(added.status == .seeOther)
            let page = try await web.request("/clients/\(seed.clientID)")
            #expect(
                page.text.contains("acme.example") && page.text.contains("the domain acme.example is marked do-not-contact on ")
                    && page.text.contains("asked by phone"))
            let again = try await web.post("/clients/\(seed.clientID)/suppressions", [("address", "acme.example")])
            #expect(again.status == .unprocessableContent && again.text.contains("already on the list"))

            let id = try #require(try await Seed.count(database, "SELECT MIN(id) AS n FROM suppressions"))
            var sdr = WebClient(client)
            _ = try await sdr.login("sam@team.example")
            let read = try await sdr.request("/clients/\(seed.clientID)")
            #expect(
                read.text.contains("acme.example") && !read.text.contains("Mark do-not-contact") && !read.text.contains("/suppressions/\(id)/remove"))
            #expect(try await sdr.post("/clients/\(seed.clientID)/suppressions/\(id)/remove").status == .forbidden)

            #expect(try await web.post("/clients/\(seed.clientID)/suppressions/\(id)/remove").status == .seeOther)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM suppressions") == 0)
            let audit = try await database.read { sql in
                try await sql.raw("SELECT action, details FROM audit_log WHERE action LIKE 'suppression%' ORDER BY id").all().map {
                    "\(try $0.decode(column: "action", as: String.self)): \(try $0.decode(column: "details", as: String.self))"
                }
            }
            #expect(
                audit.count == 2 && audit[0].hasPrefix("suppression added: domain acme.example")
                    && audit[1].hasPrefix("suppression removed: acme.example"), "\(audit)")
        }
    }
}
