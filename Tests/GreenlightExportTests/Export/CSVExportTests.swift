import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// The CSV for hand uploads, on both databases: its emails wait as "awaiting upload" (no other
/// export takes them), confirming marks them sent,
/// cancelling gives them back; the kill switch refuses a new file.
@Suite("CSV export", .timeLimit(.minutes(15)))
struct CSVExportTests {
    @Test("prepare, download, confirm or cancel; nothing sent before the user says so", arguments: DatabaseDialect.allCases)
    func csv(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 10)
            let sam = Reviewer(id: nil, name: "Sam")
            let decider = ReviewDecider(database: database)
            let ids = try await ReviewQueue(database: database).page(QueueFilter(), limit: 4).emails.map(\.id)
            for id in ids.dropLast() { _ = try await decider.decide(.approve, emailID: id, by: sam) }
            _ = try await decider.decide(.edit(body: "Hi there,\nan \"edited\" body", subject: "A better subject"), emailID: ids[3], by: sam)
            let export = CSVExport(database: database)
            let prepared = try #require(try await export.prepare(clientID: seed.clientID))
            #expect(prepared.count == 4)
            #expect(try await export.prepare(clientID: seed.clientID) == nil, "the claimed emails are not offered twice")
            let file = try await export.file(runID: prepared.runID, clientIDs: [seed.clientID])
            let text = String(decoding: file.bytes, as: UTF8.self)
            #expect(text.hasPrefix("\u{FEFF}email,first_name,last_name,company_name,subject_line,email_body\r\n"), "\(text.prefix(120))")
            #expect(text.contains(",A better subject,\"Hi there,\nan \"\"edited\"\" body\"\r\n"), "the edit and its subject, quoted: \(text)")
            #expect(file.name.hasPrefix("greenlight-northwindledger-") && file.name.hasSuffix("-run\(prepared.runID).csv"))
            #expect(
                try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails WHERE status = 'sent'") == 0,
                "nothing sent before confirmation")
            await #expect(throws: NotFound.self) { try await export.file(runID: prepared.runID, clientIDs: [seed.clientID + 1]) }

            #expect(try await export.confirm(runID: prepared.runID, clientIDs: nil) == 4)
            #expect(
                try await Seed.count(
                    database,
                    "SELECT COUNT(*) AS n FROM generated_emails WHERE status = 'sent' AND export_campaign_name = 'CSV upload, run \(prepared.runID)'")
                    == 4)
            await #expect(throws: InputError.self) { try await export.confirm(runID: prepared.runID, clientIDs: nil) }

            let more = try await ReviewQueue(database: database).page(QueueFilter(), limit: 2).emails.map(\.id)
            for id in more { _ = try await decider.decide(.approve, emailID: id, by: sam) }
            let second = try #require(try await export.prepare(clientID: seed.clientID))
            try await export.cancel(runID: second.runID, clientIDs: nil)
            #expect(
                try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails WHERE status = 'approved'") == 2,
                "a cancelled file gives its emails back")
            #expect(try await export.prepare(clientID: seed.clientID)?.count == 2)

            try await RolloutRepository(database: database).setPaused(true, clientID: seed.clientID, by: sam, reason: nil)
            await #expect(throws: InputError.self) { try await export.prepare(clientID: seed.clientID) }
        }
    }
}
