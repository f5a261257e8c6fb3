import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import HTTPTypes
import Testing
import GreenlightTestSupport

@Suite("Import page")
struct ImportPageTests {
    static func multipart(boundary: String, fields: [(String, String)], file: (name: String, contents: String)?) -> String {
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        if let file {
            body +=
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: text/csv\r\n\r\n\(file.contents)\r\n"
        }
        return body + "--\(boundary)--\r\n"
    }

    @Test("a manager uploads a CSV and reads the per-row report; bad uploads change nothing", arguments: DatabaseDialect.allCases)
    func upload(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 0, generate: false)
            _ = try await Seed.user(database, email: "boss@team.example", role: .manager, name: "Boss")
            _ = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            var sdr = WebClient(client)
            _ = try await sdr.login("sam@team.example")
            #expect(try await sdr.request("/import").status == .forbidden)

            var boss = WebClient(client)
            _ = try await boss.login("boss@team.example")
            let form = try await boss.request("/import")
            #expect(form.status == .ok)
            #expect(form.text.contains("Northwind Ledger — Northwind intro EN"))
            #expect(form.text.contains("No imports yet."))
            let boundary = "----greenlight\(UUID().uuidString)"
            let type = "multipart/form-data; boundary=\(boundary)"
            let csv = CSVFixtures.messy

            let forged = Self.multipart(
                boundary: boundary, fields: [("_csrf", "nope"), ("template", String(seed.templateID))], file: ("messy.csv", csv))
            #expect(try await boss.request("/import", method: .post, body: forged, contentType: type).status == .forbidden)
            let noFile = Self.multipart(boundary: boundary, fields: [("_csrf", boss.csrf), ("template", String(seed.templateID))], file: nil)
            let noFilePage = try await boss.request("/import", method: .post, body: noFile, contentType: type)
            #expect(noFilePage.status == .unprocessableContent)
            #expect(noFilePage.text.contains("Choose a CSV file"))
            let binary = Self.multipart(
                boundary: boundary, fields: [("_csrf", boss.csrf), ("template", String(seed.templateID))],
                file: ("sheet.xlsx", "PK\u{03}\u{04}\u{00}\u{00}binary"))
            let binaryPage = try await boss.request("/import", method: .post, body: binary, contentType: type)
            #expect(binaryPage.status == .unprocessableContent)
            #expect(binaryPage.text.contains("sheet.xlsx: the file is not CSV text"))
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contact_batches") == 0)

            let good = Self.multipart(
                boundary: boundary, fields: [("_csrf", boss.csrf), ("template", String(seed.templateID))], file: ("messy.csv", csv))
            let posted = try await boss.request("/import", method: .post, body: good, contentType: type)
            #expect(posted.status == .seeOther)
            let location = try #require(posted.location)
            let report = try await boss.request(location)
            #expect(report.text.contains("<strong>3</strong> imported"))
            // Queued for the drafting workers: the page shows the job and reloads itself until it is done.
            #expect(
                report.text.contains("Queued for drafting") && report.text.contains(#"<progress id="job-progress" max="3" value="0""#),
                "\(report.text)")
            #expect(report.text.contains(#"<meta http-equiv="refresh" content="3">"#))
            #expect(try await DraftWorker(database: database, filler: ContextPackFiller()).runUntilIdle() == 3)
            let drafted = try await boss.request(location)
            #expect(
                drafted.text.contains("<strong>3</strong> drafted") && drafted.text.contains(#"value="3""#)
                    && drafted.text.contains("3 of 3 drafted (100%)"))
            #expect(!drafted.text.contains("http-equiv=\"refresh\""), "a finished job's page stays still")

            // A model budget reached: the next batch's page says it is paused and why, and reloads less often.
            try await SpendLedger(database: database).setBudgets(.init(hourly: nil, daily: 0), clientID: seed.clientID)
            let next = Self.multipart(
                boundary: boundary, fields: [("_csrf", boss.csrf), ("template", String(seed.templateID))],
                file: ("next.csv", "email,company_name\ngrace@navy.example,Navy\n"))
            let nextPage = try await boss.request(
                try #require(try await boss.request("/import", method: .post, body: next, contentType: type).location))
            #expect(
                nextPage.text.contains("<h2 id=\"job-heading\">Paused</h2>")
                    && nextPage.text.contains("Paused: the daily model budget of $0.00 for Northwind Ledger is reached"),
                "\(nextPage.text)")
            #expect(nextPage.text.contains(#"<meta http-equiv="refresh" content="30">"#))
            #expect(report.text.contains("duplicate of row 2"))
            #expect(report.text.contains("company_name is empty"))
            #expect(report.text.contains("&quot;not-an-email&quot; is not a valid address"))
            let queue = try await boss.request("/review")
            #expect(WebClient.allMatches(#"aria-label="Quality score (\d+) of 100"#, in: queue.text).count == 3)

            // The import page lists the past imports, newest first, each linking to its batch page.
            let listed = try await boss.request("/import").text
            let links = WebClient.allMatches(#"<td data-label="Batch"><a href="(/batches/\d+)">"#, in: listed)
            #expect(links.count == 2 && links.last == location, "\(links)")
            #expect(listed.contains("<td data-label=\"File\">next.csv</td>") && listed.contains("<td data-label=\"Imported\">1 of 1 rows</td>"))
            #expect(listed.range(of: "next.csv")!.lowerBound < listed.range(of: "messy.csv")!.lowerBound, "newest first")
            #expect(listed.contains("by Boss"))
        }
    }

    @Test("clients and templates are viewable", arguments: [DatabaseDialect.sqlite])
    func clientPages(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 0, generate: false)
            _ = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            var web = WebClient(client)
            _ = try await web.login("sam@team.example")
            let list = try await web.request("/clients")
            #expect(list.text.contains("Northwind Ledger"))
            let show = try await web.request("/clients/\(seed.clientID)")
            #expect(show.text.contains("Northwind intro EN"))
            #expect(show.text.contains("financial controller"))
            #expect(show.text.contains("{{first_name}}"))
            #expect(try await web.request("/clients/99999").status == .notFound)
        }
    }
}
