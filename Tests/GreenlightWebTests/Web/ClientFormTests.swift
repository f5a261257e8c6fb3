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

/// Creating and editing a client in the browser on both databases (issue 31 §2): the checks of
/// `client add`, a preview that saves nothing, the values back with the message beside the field,
/// the creator working on what they created, and an audit entry that names what changed.
@Suite("Client form", .timeLimit(.minutes(15)))
struct ClientFormTests {
    static let pack: [(String, String)] = [
        ("name", "Southwind Supply"), ("website", "https://southwind.example"), ("sender_name", "Ola Nordmann"),
        ("sender_title", "Founder"), ("sender_email", "ola@southwind.example"), ("timezone", "Europe/Oslo"), ("export_hour", "9"),
        ("pci", "Mid-size wholesalers in the Nordics.\nSignals: new warehouse, ERP migration."),
        ("personas", "## Head of Operations\n\nRuns the warehouses.\n\n## CFO\n\nSigns the cheque."),
        ("pain_points", "1. **Stock-outs** — the shelves run empty before the reorder lands.\n2. **Manual counts** — every Friday, by hand."),
        ("competitors", "## Shelfwise\n\nA counting app for small shops."),
        ("case_studies", "## Fjord Foods — 30% fewer stock-outs\n\nFjord Foods cut stock-outs by 30%.\n\nIn six weeks."),
    ]

    static func replacing(_ fields: [(String, String)], _ name: String, with value: String) -> [(String, String)] {
        fields.map { $0.0 == name ? (name, value) : $0 }
    }

    @Test("a manager creates a client: refused, previewed, saved; then works on it", arguments: DatabaseDialect.allCases)
    func create(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let north = try await Seed.make(database, contacts: 0, generate: false)
            let manager = try await Seed.user(database, email: "max@team.example", role: .manager, clients: [north.clientID])
            var web = WebClient(client)
            try await web.login("max@team.example")
            let blank = try await web.request("/clients/new")
            #expect(blank.status == .ok && blank.text.contains("New client"))
            let clients = try await Seed.count(database, "SELECT COUNT(*) AS n FROM clients")

            let noPersona = try await web.post(
                "/clients", Self.replacing(Self.pack, "personas", with: "Operations people, mostly.") + [("action", "save")])
            #expect(noPersona.status == .unprocessableContent)
            #expect(noPersona.text.contains(#"id="client-personas-error">the personas name no persona"#))
            #expect(noPersona.text.contains("Operations people, mostly.") && noPersona.text.contains(#"value="Southwind Supply""#))
            let badHour = try await web.post("/clients", Self.replacing(Self.pack, "export_hour", with: "nine") + [("action", "save")])
            #expect(
                badHour.status == .unprocessableContent
                    && badHour.text.contains(#"id="client-export-hour-error">the export hour must be a whole number"#))
            let badZone = try await web.post("/clients", Self.replacing(Self.pack, "timezone", with: "Mars/Olympus") + [("action", "save")])
            #expect(badZone.status == .unprocessableContent && badZone.text.contains("is not a known time zone"))
            #expect(badZone.text.contains(#"<option value="Mars/Olympus" selected>"#), "the typed zone stays chosen")
            let taken = try await web.post("/clients", Self.replacing(Self.pack, "name", with: "Northwind Ledger") + [("action", "save")])
            #expect(taken.status == .unprocessableContent && taken.text.contains("a client named Northwind Ledger exists already"))

            let preview = try await web.post("/clients", Self.pack + [("action", "preview")])
            #expect(preview.status == .ok && preview.text.contains("Preview — nothing is saved yet"))
            #expect(preview.text.contains("<li>Head of Operations</li>") && preview.text.contains("<li>Stock-outs</li>"))
            #expect(preview.text.contains("<li>Shelfwise</li>") && preview.text.contains("feeds {{target_persona}}"))
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM clients") == clients, "nothing saved yet")

            let saved = try await web.post("/clients", Self.pack + [("action", "save")])
            #expect(saved.status == .seeOther)
            let record = try #require(try await ClientRepository(database: database).find(name: "Southwind Supply"))
            #expect(saved.location == "/clients/\(record.id)")
            #expect(record.timezone == "Europe/Oslo" && record.exportHour == 9 && record.senderEmail == "ola@southwind.example")
            #expect(record.pack.personas.map(\.title) == ["Head of Operations", "CFO"])
            #expect(record.pack.competitors == [.init(name: "Shelfwise", positioning: "A counting app for small shops.")])
            #expect(record.pack.caseStudies.map(\.fileName) == ["fjord-foods-30-fewer-stock-outs.md"])
            #expect(record.pack.caseStudies.first?.body == "Fjord Foods cut stock-outs by 30%.\n\nIn six weeks.")
            #expect(record.phase == .shadow)
            let page = try await web.request("/clients/\(record.id)")
            #expect(page.status == .ok && page.text.contains("Southwind Supply"), "the manager who made it works on it")
            let assigned = try await Seed.count(
                database, "SELECT COUNT(*) AS n FROM user_clients WHERE user_id = \(manager.id) AND client_id = \(record.id)")
            #expect(assigned == 1)
            let entry = try await AuditLog(database: database).recent().first
            #expect(entry?.action == "client created" && entry?.target == "Southwind Supply")
            #expect(entry?.details == "time zone Europe/Oslo; 2 personas, 2 pain points, 1 competitors, 1 case studies")
        }
    }

    @Test("editing keeps the phase and the case studies' files, and names what changed", arguments: DatabaseDialect.allCases)
    func edit(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let north = try await Seed.make(database, contacts: 0, generate: false)
            let south = try await Seed.make(database, contacts: 0, clientName: "Southwind", generate: false)
            _ = try await Seed.user(database, email: "max@team.example", role: .manager, clients: [north.clientID])
            _ = try await Seed.user(database, email: "sam@team.example", role: .sdr, clients: [north.clientID])
            try await database.write { sql in try await sql.raw("UPDATE clients SET phase = 'partial' WHERE id = \(bind: north.clientID)").run() }
            let before = try #require(try await ClientRepository(database: database).find(id: north.clientID))
            var web = WebClient(client)
            try await web.login("max@team.example")
            let form = try await web.request("/clients/\(north.clientID)/edit")
            #expect(form.status == .ok)
            // The form as the browser sends it back: every field as shown, CRLF line endings.
            var fields = ClientForm.Fields(before).values.map { ($0.key, $0.value.replacingOccurrences(of: "\n", with: "\r\n")) }
            let unchanged = try await web.post("/clients/\(north.clientID)/edit", fields + [("action", "save")])
            #expect(unchanged.status == .seeOther)
            #expect(try #require(try await ClientRepository(database: database).find(id: north.clientID)) == before, "a round trip changes nothing")
            #expect(try await AuditLog(database: database).recent().first?.action != "client changed")

            fields = Self.replacing(fields, "timezone", with: "America/New_York")
            fields = Self.replacing(fields, "pain_points", with: "1. **Late approvals** — invoices wait for weeks.")
            let saved = try await web.post("/clients/\(north.clientID)/edit", fields + [("action", "save")])
            #expect(saved.status == .seeOther)
            let after = try #require(try await ClientRepository(database: database).find(id: north.clientID))
            #expect(after.timezone == "America/New_York" && after.pack.painPoints.map(\.title) == ["Late approvals"])
            #expect(after.phase == .partial, "the phase is the rollout's, not the form's")
            #expect(after.pack.caseStudies.map(\.fileName) == before.pack.caseStudies.map(\.fileName))
            let entry = try await AuditLog(database: database).recent().first
            #expect(entry?.action == "client changed")
            #expect(entry?.details == "changed: time zone Europe/London → America/New_York; pain points")

            #expect(try await web.request("/clients/\(south.clientID)/edit").status == .notFound)
            #expect(try await web.post("/clients/\(south.clientID)/edit", fields + [("action", "save")]).status == .notFound)
            let renamed = try await web.post(
                "/clients/\(north.clientID)/edit", Self.replacing(fields, "name", with: "Southwind") + [("action", "save")])
            #expect(renamed.status == .unprocessableContent && renamed.text.contains("a client named Southwind exists already"))
            var sdr = WebClient(client)
            try await sdr.login("sam@team.example")
            #expect(try await sdr.request("/clients/new").status == .forbidden)
            #expect(try await sdr.request("/clients/\(north.clientID)/edit").status == .forbidden)
        }
    }

    /// A multipart body with the `_csrf` field and each file as a `files` part.
    static func upload(csrf: String, files: [(name: String, contents: String)]) -> String {
        var body = "--pack\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n"
        for file in files {
            body +=
                "--pack\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\(file.name)\"\r\nContent-Type: text/plain\r\n\r\n\(file.contents)\r\n"
        }
        return body + "--pack--\r\n"
    }

    /// The demo pack's files, as a browser sends a chosen folder (paths in the file names).
    static func demoFiles(renamedTo name: String) throws -> [(name: String, contents: String)] {
        let folder = TestDatabase.paths.demoData + "/pack"
        var files: [(name: String, contents: String)] = []
        for file in ["client.json", "pci.md", "personas.md", "pain_points.md", "competitors.json"] {
            var text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            if file == "client.json" { text = text.replacingOccurrences(of: "Northwind Ledger", with: name) }
            files.append(("pack/" + file, text))
        }
        for study in try FileManager.default.contentsOfDirectory(atPath: folder + "/case_studies").sorted() {
            files.append(("pack/case_studies/" + study, try String(contentsOfFile: folder + "/case_studies/" + study, encoding: .utf8)))
        }
        return files
    }

    @Test("a client from the uploaded files of a client add folder, read by the same reader", arguments: DatabaseDialect.allCases)
    func upload(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            _ = try await Seed.make(database, contacts: 0, generate: false)
            _ = try await Seed.user(database, email: "ada@team.example", role: .admin)
            var web = WebClient(client)
            try await web.login("ada@team.example")
            let files = try Self.demoFiles(renamedTo: "Eastwind Freight")
            func post(_ files: [(name: String, contents: String)]) async throws -> WebClient.Page {
                try await web.request(
                    "/clients/upload", method: .post, body: Self.upload(csrf: web.csrf, files: files),
                    contentType: "multipart/form-data; boundary=pack")
            }
            let clients = try await Seed.count(database, "SELECT COUNT(*) AS n FROM clients")
            let missing = try await post(files.filter { !$0.name.hasSuffix("personas.md") })
            #expect(missing.status == .unprocessableContent)
            #expect(missing.text.contains(#"id="client-files-error">personas.md is missing from the uploaded files"#), "\(missing.text.prefix(0))")
            let stray = try await post(files + [("notes.txt", "hello")])
            #expect(stray.status == .unprocessableContent && stray.text.contains("notes.txt is not part of a context pack"))
            let none = try await post([])
            #expect(none.status == .unprocessableContent && none.text.contains("choose the pack&#39;s files"))
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM clients") == clients, "nothing saved")
            let created = try await post(files)
            #expect(created.status == .seeOther)
            let record = try #require(try await ClientRepository(database: database).find(name: "Eastwind Freight"))
            let folder = try ContextPackFolder(path: TestDatabase.paths.demoData + "/pack").read()
            #expect(record.pack == folder.pack, "the same pack as client add reads")
            #expect(try await post(files).text.contains("a client named Eastwind Freight exists already"))
        }
    }
}
