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

/// A bulk action reports what happened to each email, and one failure does not stop the rest.
@Suite("Bulk actions")
struct BulkActionTests {
    @Test("visible, foreign, decided, missing and failing ids in one bulk: each reported, the good ones decided", arguments: DatabaseDialect.allCases)
    func mixedBulk(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let mine = try await Seed.make(database, contacts: 5)
            let theirs = try await Seed.make(database, contacts: 2, clientName: "Other Client")
            _ = try await Seed.user(database, email: "sam@team.example", name: "Sam", clients: [mine.clientID])
            let kim = try await Seed.user(database, email: "kim@team.example", name: "Kim", clients: [mine.clientID])
            let ids = try await ReviewQueue(database: database).page(QueueFilter(), clientIDs: [mine.clientID]).emails.map(\.id)
            let foreign = try await ReviewQueue(database: database).page(QueueFilter(), clientIDs: [theirs.clientID]).emails.map(\.id)
            _ = try await ReviewDecider(database: database).decide(.approve, emailID: ids[1], by: kim.reviewer)
            try await Self.failUpdates(of: ids[2], database)

            var web = WebClient(client)
            _ = try await web.login("sam@team.example")
            let asked = [ids[0], foreign[0], ids[1], ids[2], ids[3], 987_654]
            let page = try await web.post(
                "/review/bulk", asked.map { ("ids[]", String($0)) } + [("action", "approve")], headers: [.accept: "application/json"])
            #expect(page.status == .ok)
            let json = try page.json()
            #expect(json["done"] as? Int == 2)
            let results = try #require(json["results"] as? [[String: Any]])
            #expect(results.map { $0["id"] as? Int } == asked.map { $0 }, "one result per email asked, in order")
            let byID = Dictionary(uniqueKeysWithValues: results.map { ($0["id"] as? Int ?? 0, $0) })
            #expect(byID[ids[0]]?["status"] as? String == "approved")
            #expect(byID[ids[3]]?["status"] as? String == "approved", "the email after the failing one is still decided")
            #expect(byID[foreign[0]]?["problem"] as? String == "not found", "another client's email is not even named")
            #expect((byID[ids[1]]?["problem"] as? String)?.contains("already reviewed by Kim") == true)
            #expect((byID[ids[2]]?["problem"] as? String)?.contains("could not be saved") == true)
            #expect(byID[987_654]?["problem"] as? String == "not found")
            #expect(
                try await Seed.count(
                    database, "SELECT COUNT(*) AS n FROM generated_emails WHERE client_id = \(theirs.clientID) AND status = 'pending_review'") == 2,
                "nothing of the other client changed")
            #expect(
                try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails WHERE id = \(ids[2]) AND status = 'pending_review'") == 1)

            // Without JavaScript the same report comes back as the page's notice.
            let form = try await web.post("/review/bulk", [ids[2], ids[4]].map { ("ids[]", String($0)) } + [("action", "approve")])
            #expect(form.status == .seeOther)
            let queue = try await web.request(form.location ?? "/review")
            #expect(queue.text.contains("Approved 1 email."))
            #expect(queue.text.contains("#\(ids[2]) could not be saved"))
        }
    }

    /// Makes every update of one email fail inside the database, as a broken disk or a constraint would.
    static func failUpdates(of id: Int, _ database: Database) async throws {
        try await database.write { sql in
            switch database.dialect {
            case .sqlite:
                try await sql.raw(
                    SQLQueryString(
                        "CREATE TRIGGER fail_one BEFORE UPDATE ON generated_emails WHEN OLD.id = \(literal: id) BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
                    )
                ).run()
            case .postgres:
                try await sql.raw(
                    "CREATE FUNCTION fail_one() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql"
                ).run()
                try await sql.raw(
                    SQLQueryString(
                        "CREATE TRIGGER fail_one BEFORE UPDATE ON generated_emails FOR EACH ROW WHEN (OLD.id = \(literal: id)) EXECUTE FUNCTION fail_one()"
                    )
                ).run()
            }
        }
    }
}
