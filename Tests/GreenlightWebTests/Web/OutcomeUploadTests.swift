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

/// A team that sends by hand uploads its sequencer's lead export: its rows become outcomes of the
/// emails Greenlight wrote to those addresses in a CSV file — never of others — once however often
/// it is uploaded; bounced and unsubscribed addresses are suppressed; a row without an address is
/// named; a file without an email column is refused with what to upload; through the export page too.
@Suite("Lead export upload")
struct OutcomeUploadTests {
    @Test("a lead export records replies, interest, bounces and unsubscribes once, for the emails sent by CSV", arguments: DatabaseDialect.allCases)
    func recordsOnce(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 6)
            let ids = try await ReviewQueue(database: database).page(QueueFilter(), limit: 4).emails.map(\.id)
            for id in ids { _ = try await ReviewDecider(database: database).decide(.approve, emailID: id, by: Reviewer(id: nil, name: "Sam")) }
            let later = ManualClock(startingAt: TimeSource.system.nowMillis() + 60_000).source
            let file = try #require(try await CSVExport(database: database, clock: later).prepare(clientID: seed.clientID))
            _ = try await CSVExport(database: database, clock: later).confirm(runID: file.runID, clientIDs: nil)
            let sent = try await ExportFixtures.statuses(database, ids)
            #expect(sent == ["sent", "sent", "sent", "sent"])
            let emails = try await database.read { sql in
                try await sql.raw("SELECT id, contact_email FROM generated_emails WHERE id IN (\(binds: ids)) ORDER BY id").all().map {
                    (try $0.decode(column: "id", as: Int.self), try $0.decode(column: "contact_email", as: String.self))
                }
            }
            let unsent = try #require(
                try await database.read { sql in
                    try await sql.raw("SELECT contact_email FROM generated_emails WHERE status = 'pending_review' LIMIT 1").first()?.decode(
                        column: "contact_email", as: String.self)
                })
            let csv = """
                Email;Status;Reply Count;Interest Status;Last Reply
                \(emails[0].1.uppercased());Completed;1;Interested;2026-12-01T10:00:00Z
                \(emails[1].1);Bounced;0;;
                \(emails[2].1);Unsubscribed;0;;
                \(emails[3].1);Active;0;;
                \(unsent);Completed;2;Meeting booked;2026-12-02
                not-an-address;Completed;1;;

                """
            let upload = OutcomeUpload(database: database)
            let report = try await upload.record(.bytes(Array(csv.utf8)), clientID: seed.clientID)
            #expect(report.rows == 6 && report.recorded == 6 && report.notSent == 1 && report.suppressed == 2, "\(report)")
            #expect(report.skipped == [.init(row: 7, email: "not-an-address", reason: "not an email address")])
            let outcomes = try await EmailOutcome.stored(database, clientID: seed.clientID)
            #expect(outcomes[emails[0].0]?.interest == .interested && outcomes[emails[0].0]?.repliedAt == 1_796_119_200_000)
            #expect(outcomes[emails[1].0]?.bouncedAt != nil && outcomes[emails[2].0]?.unsubscribedAt != nil && outcomes[emails[3].0] == nil)
            #expect(
                try await Seed.count(database, "SELECT COUNT(*) AS n FROM outcome_events WHERE email_id IS NULL") == 2,
                "the address Greenlight did not send by CSV is kept aside, not attached")
            let again = try await upload.record(.bytes(Array(csv.utf8)), clientID: seed.clientID)
            #expect(again.recorded == 0, "the same export twice records nothing twice")
            await #expect(throws: ImportError.self) {
                _ = try await upload.record(.bytes(Array("name,company\nA,B\n".utf8)), clientID: seed.clientID)
            }

            // Through the export page.
            _ = try await Seed.user(database, email: "mona@team.example", role: .manager)
            var web = WebClient(client)
            _ = try await web.login("mona@team.example")
            _ = try await web.request("/clients/\(seed.clientID)/export")
            let body = ImportPageTests.multipart(boundary: "b0undary", fields: [("_csrf", web.csrf)], file: ("leads.csv", csv))
            let page = try await web.request(
                "/clients/\(seed.clientID)/export/outcomes/upload", method: .post, body: body, contentType: "multipart/form-data; boundary=b0undary")
            #expect(page.status == .seeOther)
            let shown = try await web.request("/clients/\(seed.clientID)/export")
            #expect(shown.text.contains("Lead export read: 6 rows read: 0 new outcomes"), "\(shown.text.count)")
        }
    }
}
