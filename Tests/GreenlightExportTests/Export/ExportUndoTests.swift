import Foundation
import HTTPTypes
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// CSV files, the sequencer export and undo agree (issue 27, item 4): an email waiting in a CSV file
/// cannot be undone until a manager takes it out (page and API); the download holds, and confirming
/// marks, only emails still approved; no address waits in two files; an undo between the export
/// reading a batch and marking it `sending` keeps that lead out of the sequencer.
@Suite("Export: CSV files, the sequencer export and undo agree", .timeLimit(.minutes(15)))
struct ExportUndoTests {
    static let boss = Reviewer(id: nil, name: "Boss")

    /// Each data row's cells, by splitting the file's CRLF records (the tests' rows hold no CRLF in a cell).
    static func rows(_ bytes: [UInt8]) -> [String] {
        Array(String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty })
    }

    @Test(
        "the reproduction: an email in a CSV file is neither undone, nor downloaded or confirmed once it is no longer approved, nor put in a second file",
        arguments: DatabaseDialect.allCases)
    func csvAndUndo(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 10)
            let decider = ReviewDecider(database: database)
            let ids = try await ReviewQueue(database: database).page(QueueFilter(), limit: 4).emails.map(\.id).sorted()
            for id in ids { _ = try await decider.decide(.approve, emailID: id, by: ExportFixtures.sam) }
            let export = CSVExport(database: database)
            let run = try #require(try await export.prepare(clientID: seed.clientID))
            #expect(run.count == 4)

            // Undo is refused while the email waits in the file, naming the run.
            let refused = await #expect(throws: ReviewConflict.self) { try await decider.undo(emailID: ids[0], by: Self.boss) }
            #expect(refused == .inCSVFile(runID: run.runID))
            #expect(refused?.description.contains("CSV file of export run \(run.runID)") == true)
            #expect(try await ExportFixtures.statuses(database, [ids[0]]) == ["approved"], "nothing changed")

            // Taken out of the file (audited), it is undone and rejected; the download and the confirmation leave it out.
            let address = try await export.remove(runID: run.runID, emailID: ids[0], clientIDs: [seed.clientID], by: "Boss", userID: nil)
            await #expect(throws: InputError.self) {
                try await export.remove(runID: run.runID, emailID: ids[0], clientIDs: nil, by: "Boss", userID: nil)
            }
            _ = try await decider.undo(emailID: ids[0], by: Self.boss)
            _ = try await decider.decide(.reject(reason: .toneTooCorporate, details: nil), emailID: ids[0], by: Self.boss)
            let file = try await export.file(runID: run.runID, clientIDs: nil)
            #expect(Self.rows(file.bytes).count == 3 && !String(decoding: file.bytes, as: UTF8.self).contains(address), "the file no longer holds it")
            // As if an undo slipped in between (the belt under the braces): a claimed email no longer approved.
            try await database.write { sql in
                try await sql.raw("UPDATE generated_emails SET status = 'pending_review' WHERE id = \(bind: ids[1])").run()
            }
            #expect(Self.rows(try await export.file(runID: run.runID, clientIDs: nil).bytes).count == 2)
            #expect(try await export.confirm(runID: run.runID, clientIDs: nil) == 2, "only the emails still approved are marked sent")
            #expect(try await ExportFixtures.statuses(database, ids) == ["rejected", "pending_review", "sent", "sent"])
            let items = try await ExportHistory(database: database).items(runID: run.runID)
            #expect(items.map(\.status) == [.released, .released, .sent, .sent], "\(items)")
            let audit = try await AuditLog(database: database).recent().filter { $0.action == "email taken out of a CSV file" }
            #expect(audit.count == 1 && audit[0].details == "email \(ids[0]) (\(address)), run \(run.runID)")

            // Approved again, it goes in the next file once.
            _ = try await decider.decide(.approve, emailID: ids[1], by: ExportFixtures.sam)
            let next = try #require(try await export.prepare(clientID: seed.clientID))
            #expect(next.count == 1)
        }
    }

    @Test("no address waits in two CSV files, nor goes to the sequencer while a file holds it", arguments: DatabaseDialect.allCases)
    func oneFilePerAddress(_ dialect: DatabaseDialect) async throws {
        try await ExportTests.with(dialect) { setup, fake in
            let ids = try await ExportTests.approve(setup, count: 2).sorted()
            let twin = try #require(try await ReviewQueue(database: setup.database).page(QueueFilter(), limit: 1).emails.first?.id)
            let export = CSVExport(database: setup.database, clock: setup.clock.source)
            let first = try #require(try await export.prepare(clientID: setup.seed.clientID))
            #expect(first.count == 2)
            // Another email to the first one's address (as a second template's would be), approved after the file was made.
            try await setup.database.write { sql in
                try await sql.raw(
                    "UPDATE generated_emails SET contact_email = (SELECT UPPER(contact_email) FROM generated_emails WHERE id = \(bind: ids[0])) WHERE id = \(bind: twin)"
                ).run()
            }
            _ = try await ReviewDecider(database: setup.database).decide(.approve, emailID: twin, by: ExportFixtures.sam)
            #expect(try await export.prepare(clientID: setup.seed.clientID) == nil, "its address waits in the first file")
            #expect(try await ExportHistory(database: setup.database).preview(clientID: setup.seed.clientID, now: setup.clock.nowMillis).isEmpty)
            let outcome = try await ExportTests.exporter(setup).run(clientID: setup.seed.clientID)
            #expect(outcome.claimed == 0 && fake.receivedCounts.isEmpty, "nor does the sequencer export take it: \(outcome)")
            try await export.cancel(runID: first.runID, clientIDs: nil)
            #expect(try await export.prepare(clientID: setup.seed.clientID)?.count == 3, "once the file is cancelled, every one of them can go")
        }
    }

    @Test(
        "a row that would start a formula is left out of the file and named; every other cell is exactly the reviewed text",
        arguments: DatabaseDialect.allCases)
    func formulas(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 10)
            let decider = ReviewDecider(database: database)
            let ids = try await ReviewQueue(database: database).page(QueueFilter(), limit: 5).emails.map(\.id).sorted()
            _ = try await decider.decide(
                .edit(body: "=HYPERLINK(\"http://evil.example\",\"Click\")\nHi there"), emailID: ids[0], by: ExportFixtures.sam)
            _ = try await decider.decide(
                .edit(body: "Hi, \"quoted\" – and 'apostrophes', commas,\nnew lines"), emailID: ids[1], by: ExportFixtures.sam)
            for id in ids.dropFirst(2) { _ = try await decider.decide(.approve, emailID: id, by: ExportFixtures.sam) }
            try await database.write { sql in
                try await sql.raw(
                    "UPDATE contacts SET first_name = '+Plus' WHERE id = (SELECT contact_id FROM generated_emails WHERE id = \(bind: ids[2]))"
                ).run()
            }
            let export = CSVExport(database: database)
            let leftOut = try await export.leftOut(clientID: seed.clientID)
            #expect(
                leftOut.map(\.emailID) == [ids[0], ids[2]] && leftOut.map(\.column) == ["email_body", "first_name"]
                    && leftOut.map(\.character) == ["=", "+"], "\(leftOut)")
            let run = try #require(try await export.prepare(clientID: seed.clientID))
            #expect(run.count == 3, "the two rows that would start a formula are not claimed")
            let text = String(decoding: try await export.file(runID: run.runID, clientIDs: nil).bytes, as: UTF8.self)
            #expect(!text.contains("HYPERLINK") && !text.contains("+Plus") && !text.contains(",'"), "no formula, no apostrophe added: \(text)")
            #expect(text.contains(",\"Hi, \"\"quoted\"\" – and 'apostrophes', commas,\nnew lines\"\r\n"), "the edit verbatim, quoted: \(text)")
            #expect(
                try await ExportFixtures.statuses(database, [ids[0], ids[2]]) == ["approved_edited", "approved"],
                "left out: still approved, for the sequencer export")
        }
    }

    @Test(
        "an undo between the export reading a batch and marking it sending keeps that lead out of the sequencer; approved again, it goes once",
        arguments: DatabaseDialect.allCases, FakeSequencer.Vendor.allCases)
    func undoBeforeMark(_ dialect: DatabaseDialect, _ vendor: FakeSequencer.Vendor) async throws {
        try await ExportTests.with(dialect, vendor) { setup, fake in
            let ids = try await ExportTests.approve(setup, count: 4).sorted()
            let undone = Counter()
            let database = setup.database
            let outcome = try await ExportTests.exporter(
                setup,
                afterStep: { step in
                    if step == .batchRead, undone.next() == 1 { _ = try await ReviewDecider(database: database).undo(emailID: ids[0], by: Self.boss) }
                }
            ).run(clientID: setup.seed.clientID)
            #expect(outcome.status == "finished" && outcome.sent == 3, "\(outcome)")
            let address = try #require(try await ExportTests.addresses(setup.database, [ids[0]]).first)
            #expect(fake.receivedCounts[address] == nil, "the undone email's lead never reached the sequencer")
            #expect(try await ExportFixtures.statuses(setup.database, ids) == ["pending_review", "sent", "sent", "sent"])
            _ = try await ReviewDecider(database: setup.database).decide(.approve, emailID: ids[0], by: ExportFixtures.sam)
            let next = try await ExportTests.exporter(setup).run(clientID: setup.seed.clientID)
            #expect(next.sent == 1 && fake.receivedCounts[address] == 1 && fake.receivedCounts.values.allSatisfy { $0 == 1 }, "\(next)")
        }
    }

    @Test("the email page names the file that holds the email and takes it out; the API takes one out too", arguments: DatabaseDialect.allCases)
    func pageAndAPI(_ dialect: DatabaseDialect) async throws {
        try await ExportStartTests.withExportApp(dialect, .instantly, latency: .zero) { database, seed, _, boss, api, key in
            var boss = boss
            var api = api
            _ = try await boss.post("/clients/\(seed.clientID)/export/csv")
            let run = try #require(
                try await database.read { sql in
                    try await sql.raw("SELECT id FROM export_runs WHERE status = 'awaiting_upload'").first()?.decode(column: "id", as: Int.self)
                })
            let ids = try await ExportHistory(database: database).items(runID: run).map(\.emailID)
            let page = try await boss.request("/review/\(ids[0])")
            #expect(
                page.text.contains("waits in the CSV file of export run \(run)")
                    && page.text.contains("action=\"/exports/\(run)/emails/\(ids[0])/remove\""))
            #expect(!page.text.contains("/review/\(ids[0])/undo"), "no undo button while it is in the file")
            let undo = try await boss.post("/review/\(ids[0])/undo")
            #expect(undo.status == .conflict && undo.text.contains("CSV file of export run \(run)"), "\(undo.status)")
            let out = try await boss.post("/exports/\(run)/emails/\(ids[0])/remove")
            #expect(out.status == .seeOther && out.location == "/review/\(ids[0])")
            let after = try await boss.request("/review/\(ids[0])")
            #expect(
                after.text.contains("is out of the CSV file of run \(run): download that file again") && after.text.contains("/review/\(ids[0])/undo")
            )
            #expect(try await boss.post("/review/\(ids[0])/undo").status == .seeOther)

            let removed = try await api.request(
                "/api/v1/exports/\(run)/emails/\(ids[1])", method: .delete, headers: [.authorization: "Bearer \(key)"])
            #expect(removed.status == .ok && removed.text.contains("\"status\":\"released\""), "\(removed.text)")
            let again = try await api.request(
                "/api/v1/exports/\(run)/emails/\(ids[1])", method: .delete, headers: [.authorization: "Bearer \(key)", .accept: "application/json"])
            #expect(again.status == .unprocessableContent && again.text.contains("is not in the file of run \(run)"), "\(again.text)")
            let csv = try await boss.request("/exports/\(run)/csv")
            #expect(Self.rows(Array(csv.text.utf8)).count == 10, "twelve less the two taken out")
        }
    }
}
