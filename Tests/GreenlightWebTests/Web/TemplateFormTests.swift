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

/// Templates in the browser on both databases (issue 31 §3): the parser and checks of `template add`,
/// a preview drafted for a contact that stores nothing, edits that name what changed, and retiring
/// (no new drafts from any door: page, API, command line; old drafts keep their link).
@Suite("Template form", .timeLimit(.minutes(15)))
struct TemplateFormTests {
    static let text = """
        ---
        name: Warehouse intro
        strategy: cold_email
        subject: "Stock-outs at {{company_name}}?"
        min_words: 20
        max_words: 120
        follow_ups:
          - day: 4
            body: |
              Hi {{first_name}}, a nudge: worth a look?
        ---

        Hi {{first_name}},

        Teams at {{company_name}} often tell us about {{solve_specific_pain}}. We helped a firm like yours with it.

        Best,
        Hannah
        """

    static func count(_ database: Database, _ table: String) async throws -> Int {
        try await Seed.count(database, "SELECT COUNT(*) AS n FROM \(table)")
    }

    @Test("refused with the CLI's words, previewed without storing, saved, and a file upload wins over the text", arguments: DatabaseDialect.allCases)
    func create(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 3)
            _ = try await Seed.user(database, email: "max@team.example", role: .manager, clients: [seed.clientID])
            var web = WebClient(client)
            try await web.login("max@team.example")
            let blank = try await web.request("/clients/\(seed.clientID)/templates/new")
            #expect(blank.status == .ok && blank.text.contains("name: Intro, first touch"))
            let (templates, emails) = (try await Self.count(database, "templates"), try await Self.count(database, "generated_emails"))

            let unknown = try await web.post(
                "/clients/\(seed.clientID)/templates",
                [("text", Self.text.replacingOccurrences(of: "{{solve_specific_pain}}", with: "{{pain_killer}}")), ("action", "save")])
            #expect(unknown.status == .unprocessableContent)
            #expect(
                unknown.text.contains(#"id="template-text-error">the template names variables that no agent or contact field provides: pain_killer"#))
            #expect(unknown.text.contains("{{pain_killer}}"), "the text as typed")
            let malformed = try await web.post(
                "/clients/\(seed.clientID)/templates",
                [("text", Self.text.replacingOccurrences(of: "{{first_name}},\n\nTeams", with: "{{ first name }},\n\nTeams")), ("action", "save")])
            #expect(malformed.status == .unprocessableContent && malformed.text.contains("placeholders that are not variable names"))

            let contact = try await database.read { sql in
                try await sql.raw("SELECT id, company_name FROM contacts ORDER BY row_number DESC LIMIT 1").first()
            }
            let contactID = try #require(try contact?.decode(column: "id", as: Int.self))
            let company = try #require(try contact?.decode(column: "company_name", as: String.self))
            let preview = try await web.post(
                "/clients/\(seed.clientID)/templates", [("text", Self.text), ("contact", String(contactID)), ("action", "preview")])
            #expect(preview.status == .ok)
            #expect(preview.text.contains("Preview for") && preview.text.contains("Stock-outs at \(FastHTMLContentType.escape(company))?"))
            #expect(preview.text.contains("Quality score") && !preview.text.contains("{{solve_specific_pain}}</div>"))
            #expect(preview.text.contains(#"<option value="\#(contactID)" selected>"#), "the chosen contact stays chosen")
            let counts = (try await Self.count(database, "templates"), try await Self.count(database, "generated_emails"))
            #expect(counts == (templates, emails))
            #expect(try await Self.count(database, "model_calls") == 0, "no model call")

            let saved = try await web.post("/clients/\(seed.clientID)/templates", [("text", Self.text), ("action", "save")])
            #expect(saved.status == .seeOther)
            let record = try #require(try await TemplateRepository(database: database).find(name: "Warehouse intro", clientID: seed.clientID))
            #expect(record.template.followUps == [.init(day: 4, body: "Hi {{first_name}}, a nudge: worth a look?")])
            let again = try await web.post("/clients/\(seed.clientID)/templates", [("text", Self.text), ("action", "save")])
            #expect(again.status == .unprocessableContent && again.text.contains("has a template named Warehouse intro already"))
            let entry = try await AuditLog(database: database).recent().first
            #expect(entry?.action == "template created" && entry?.details == "Warehouse intro: 3 variables, 1 follow-ups")

            // An upload: the file's template, not the textarea's.
            let file = Self.text.replacingOccurrences(of: "name: Warehouse intro", with: "name: Uploaded intro")
            let body = ImportPageTests.multipart(
                boundary: "t3mplate", fields: [("_csrf", web.csrf), ("text", "ignored"), ("action", "save")], file: ("intro.md", file))
            let uploaded = try await web.request(
                "/clients/\(seed.clientID)/templates", method: .post, body: body, contentType: "multipart/form-data; boundary=t3mplate")
            #expect(uploaded.status == .seeOther)
            #expect(try await TemplateRepository(database: database).find(name: "Uploaded intro", clientID: seed.clientID) != nil)
        }
    }

    @Test("a client with no contact yet previews with a made-up one", arguments: DatabaseDialect.allCases)
    func sampleContact(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 0, generate: false)
            _ = try await Seed.user(database, email: "ada@team.example", role: .admin)
            var web = WebClient(client)
            try await web.login("ada@team.example")
            let preview = try await web.post("/clients/\(seed.clientID)/templates", [("text", Self.text), ("action", "preview")])
            #expect(preview.status == .ok && preview.text.contains("Alex Sample, Example Trading") && preview.text.contains("made-up contact"))
        }
    }

    @Test("edit names what changed; retire stops new drafts from the page, the API and the CLI's path; restore", arguments: DatabaseDialect.allCases)
    func editAndRetire(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 2)
            let south = try await Seed.make(database, contacts: 0, clientName: "Southwind", generate: false)
            _ = try await Seed.user(database, email: "max@team.example", role: .manager, clients: [seed.clientID])
            _ = try await Seed.user(database, email: "sam@team.example", role: .sdr, clients: [seed.clientID])
            let key = try await APIKeyRepository(database: database).create(clientID: seed.clientID, name: "jobs", role: .manager)
            var web = WebClient(client)
            try await web.login("max@team.example")
            let before = try #require(try await TemplateRepository(database: database).find(id: seed.templateID))
            let form = try await web.request("/clients/\(seed.clientID)/templates/\(seed.templateID)/edit")
            #expect(form.status == .ok)
            let shown = TemplateFile.render(before.template)
            #expect(try TemplateFile.parse(shown) == before.template, "the page's text reads back to the same template")
            let unchanged = try await web.post(
                "/clients/\(seed.clientID)/templates/\(seed.templateID)/edit",
                [("text", shown.replacingOccurrences(of: "\n", with: "\r\n")), ("action", "save")])
            #expect(unchanged.status == .seeOther)
            #expect(try await AuditLog(database: database).recent().first?.action != "template changed")
            let changedText = shown.replacingOccurrences(of: "subject: ", with: "subject: Re - ", options: [], range: shown.range(of: "subject: "))
            let changed = try await web.post(
                "/clients/\(seed.clientID)/templates/\(seed.templateID)/edit", [("text", changedText), ("action", "save")])
            #expect(changed.status == .seeOther)
            #expect(try await AuditLog(database: database).recent().first?.details == "\(before.template.name): subject")
            #expect(try await web.request("/clients/\(south.clientID)/templates/\(seed.templateID)/edit").status == .notFound)

            let drafted = try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails WHERE template_id = \(seed.templateID)")
            #expect(try await web.post("/clients/\(seed.clientID)/templates/\(seed.templateID)/retire").status == .seeOther)
            #expect(drafted > 0)
            #expect(
                try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails WHERE template_id = \(seed.templateID)") == drafted,
                "old drafts keep their link")
            let importPage = try await web.request("/import")
            #expect(!importPage.text.contains(#"value="\#(seed.templateID)""#), "the import form no longer offers it")
            let body = ImportPageTests.multipart(
                boundary: "b0undary", fields: [("_csrf", web.csrf), ("template", String(seed.templateID))],
                file: ("x.csv", "email,company\nnew@x.example,X\n"))
            let refused = try await web.request("/import", method: .post, body: body, contentType: "multipart/form-data; boundary=b0undary")
            #expect(refused.status == .unprocessableContent && refused.text.contains("is retired: no new drafts use it"))
            var api = WebClient(client)
            let job = try await api.request(
                "/api/v1/campaigns/generate", method: .post, headers: [.authorization: "Bearer \(key)"],
                body: #"{"template": "\#(before.template.name)", "contacts": [{"email": "new@x.example", "company_name": "X"}]}"#,
                contentType: "application/json")
            #expect(job.status == .unprocessableContent && job.text.contains("is retired"))
            await #expect(throws: ImportError.self) {
                _ = try await ImportBatchWriter(database: database, clientID: seed.clientID, clock: .system).create(
                    templateID: seed.templateID, fileName: "cli.csv", userID: nil)
            }
            let page = try await web.request("/clients/\(seed.clientID)")
            #expect(page.text.contains("retired ") && page.text.contains("Put back in use"))
            #expect(try await web.post("/clients/\(seed.clientID)/templates/\(seed.templateID)/restore").status == .seeOther)
            let accepted = try await web.request("/import", method: .post, body: body, contentType: "multipart/form-data; boundary=b0undary")
            #expect(accepted.status == .seeOther)

            var sdr = WebClient(client)
            try await sdr.login("sam@team.example")
            #expect(try await sdr.request("/clients/\(seed.clientID)/templates/new").status == .forbidden)
            #expect(try await sdr.post("/clients/\(seed.clientID)/templates/\(seed.templateID)/retire").status == .forbidden)
        }
    }

    @Test("a template written out reads back the same, quotes and colons included")
    func renderRoundTrip() throws {
        let tricky = EmailTemplate(
            name: "Q: \"quoted\" # not a comment", strategy: .followUp, subject: "{{company_name}}: a question",
            body: "Hi {{first_name}},\n\n- a list",
            minWords: 10, maxWords: 90, followUps: [.init(day: 2, body: "Line one\n\nLine two: yes")])
        #expect(try TemplateFile.parse(TemplateFile.render(tricky)) == tricky)
        let demo = try TemplateFile.parse(try String(contentsOfFile: TestDatabase.paths.demoData + "/template.md", encoding: .utf8))
        #expect(try TemplateFile.parse(TemplateFile.render(demo)) == demo)
    }
}
