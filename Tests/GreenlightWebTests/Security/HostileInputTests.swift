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

@Suite("Hostile input")
struct HostileInputTests {
    static let payload = #""><script>alert('x')</script><img src=x onerror=alert(1)>"#
    static let markers = ["<script>alert", "<img src=x", "onerror=alert(1)>"]

    static func assertInert(_ page: WebClient.Page, _ where: String) {
        for marker in markers {
            #expect(!page.text.contains(marker), "\(`where`) renders \(marker) raw")
        }
    }

    @Test("markup planted in every user-controlled field renders inert on every page", arguments: DatabaseDialect.allCases)
    func xssEverywhere(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let folder = try ContextPackFolder(path: TestDatabase.paths.demoData + "/pack").read()
            var profile = folder.profile
            profile.name = "Acme " + Self.payload
            var pack = folder.pack
            pack.personasMarkdown += "\n\n## " + Self.payload + "\n" + Self.payload
            pack.competitors.append(.init(name: Self.payload, positioning: Self.payload))
            let clientID = try await ClientRepository(database: database).save(profile: profile, pack: pack)
            let template = EmailTemplate(
                name: "T " + Self.payload, strategy: .coldEmail, subject: "Hi {{company_name}} " + Self.payload,
                body: "Hello {{first_name}} at {{company_name}} ({{industry}}, {{website}}) " + Self.payload)
            let templateID = try await TemplateRepository(database: database).save(template, clientID: clientID)
            let quoted = "\"" + Self.payload.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let csv =
                "first_name,last_name,email,company_name,website,industry,job_title\n"
                + "\(quoted),\(quoted),a@x.example,\(quoted),\(quoted),\(quoted),\(quoted)\n"
                + "\(quoted),B,b@x.example,Co,https://x.example,Retail,CFO\n"
                + "C,D,not-an-email \(quoted),Co,,,\n"
            let report = try await ContactImporter(database: database).importCSV(
                .bytes(Array(csv.utf8)), fileName: Self.payload + ".csv", clientID: clientID, templateID: templateID)
            #expect(report.imported == 2)
            _ = try await DraftGenerator(database: database).generate(batchID: report.batchID)
            _ = try await Seed.user(database, email: "admin@team.example", role: .admin, name: "Admin " + Self.payload)
            var web = WebClient(client)
            _ = try await web.login("admin@team.example")
            let ids = try await ReviewQueue(database: database).page(QueueFilter()).emails.map(\.id)
            _ = try await web.post("/review/\(ids[0])/edit", [("body", "Edited " + Self.payload)])
            _ = try await web.post("/review/\(ids[1])/reject", [("reason", "other"), ("details", Self.payload)])

            let pages = [
                "/review?status=all", "/review/\(ids[0])", "/review/\(ids[1])", "/clients", "/clients/\(clientID)",
                "/batches/\(report.batchID)", "/import", "/audit", "/review?q=" + WebClient.encode(Self.payload),
            ]
            for path in pages {
                let page = try await web.request(path)
                #expect(page.status == .ok, "\(path)")
                Self.assertInert(page, path)
            }
            let queue = try await web.request("/review?status=all")
            #expect(
                queue.text.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                    || queue.text.contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") || queue.text.contains("&lt;script&gt;"))
        }
    }

    @Test("SQL metacharacters in filters and search change nothing", arguments: DatabaseDialect.allCases)
    func sqlMetacharacters(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            _ = try await Seed.make(database, contacts: 20)
            _ = try await Seed.user(database, email: "sam@team.example")
            var web = WebClient(client)
            _ = try await web.login("sam@team.example")
            let before = try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails")
            for text in [
                "' OR '1'='1", "zq%", "zq_", "zq\\", "'; DROP TABLE generated_emails; --", "\" OR 1=1 --",
                "%' UNION SELECT password_hash FROM users --",
            ] {
                let page = try await web.request("/review?q=" + WebClient.encode(text))
                #expect(page.status == .ok)
                #expect(WebClient.allMatches(#"aria-label="Quality score (\d+) of 100"#, in: page.text).isEmpty, "search \(text) matches nothing")
                let api = try await web.request("/api/v1/emails?q=" + WebClient.encode(text))
                #expect((try api.json()["emails"] as? [Any])?.isEmpty == true)
            }
            let percent = try await web.request("/api/v1/emails?limit=200&q=%25")
            let matched = (try percent.json()["emails"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            for id in matched {
                let email = try #require(try await EmailRepository(database: database).summary(id: id))
                #expect((email.subject + email.body + email.companyName + email.contactName).contains("%"), "% matches itself, not everything")
            }
            #expect(matched.count < before)
            for (name, value) in [
                ("client", "1 OR 1=1"), ("template", "1;DROP TABLE users"), ("batch", "' OR ''='"), ("min_score", "0 OR 1=1"),
                ("max_score", "100--"), ("from", "2026-01-01' OR '1'='1"), ("to", "x"), ("status", "pending' OR '1'='1"), ("after", "' OR 1=1 --"),
            ] {
                let page = try await web.request("/review?\(name)=" + WebClient.encode(value))
                #expect(page.status == .badRequest, "\(name)=\(value) is refused")
                let api = try await web.request("/api/v1/emails?\(name)=" + WebClient.encode(value))
                #expect(api.status == .unprocessableContent, "API \(name)=\(value) is refused")
            }
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails") == before)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM users") == 1)
        }
    }

    @Test("every form refuses a missing or wrong CSRF token and changes nothing", arguments: DatabaseDialect.allCases)
    func csrfEverywhere(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 5)
            _ = try await Seed.user(database, email: "admin@team.example", role: .admin)
            var web = WebClient(client)
            _ = try await web.login("admin@team.example")
            let id = try await ReviewQueue(database: database).page(QueueFilter()).emails[0].id
            let posts = [
                "/logout", "/review/bulk", "/review/\(id)/approve", "/review/\(id)/edit", "/review/\(id)/reject", "/review/\(id)/claim",
                "/review/\(id)/release", "/review/\(id)/undo", "/api/v1/emails/\(id)/approve", "/api/v1/emails/\(id)/edit",
                "/api/v1/emails/\(id)/reject",
            ]
            for token in [nil, "wrong-token"] {
                for path in posts {
                    var fields = [("body", "x"), ("reason", "other"), ("action", "approve"), ("ids[]", String(id))]
                    if let token { fields.append(("_csrf", token)) }
                    let page = try await web.post(path, fields, csrf: false)
                    #expect(page.status == .forbidden, "\(path) with token \(token ?? "none")")
                }
                let upload = ImportPageTests.multipart(
                    boundary: "bnd", fields: [("template", String(seed.templateID))] + (token.map { [("_csrf", $0)] } ?? []),
                    file: ("x.csv", "email,company\nq@x.example,Q\n"))
                #expect(
                    try await web.request("/import", method: .post, body: upload, contentType: "multipart/form-data; boundary=bnd").status
                        == .forbidden)
            }
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM review_events") == 0)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails WHERE claimed_by IS NOT NULL") == 0)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contact_batches") == 1)
            #expect(try await web.request("/review").status == .ok, "still logged in: logout needed its token too")
        }
    }

    @Test("another client's ids answer 404 on every route", arguments: DatabaseDialect.allCases)
    func crossClient(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let mine = try await Seed.make(database, contacts: 3)
            let theirs = try await Seed.make(database, contacts: 3, clientName: "Their Client")
            _ = try await Seed.user(database, email: "boss@team.example", role: .manager, clients: [mine.clientID])
            var web = WebClient(client)
            _ = try await web.login("boss@team.example")
            let theirEmail = try await ReviewQueue(database: database).page(QueueFilter(clientID: theirs.clientID)).emails[0].id
            let queue = try await web.request("/review?status=all")
            #expect(WebClient.allMatches(#"aria-label="Quality score (\d+) of 100"#, in: queue.text).count == 3, "only my client's emails")
            #expect(!queue.text.contains("Their Client"))
            #expect(
                try await web.request("/review?client=\(theirs.clientID)").text.contains(
                    "All done.</strong> Nothing awaits review with these filters"))
            for path in ["/review/\(theirEmail)", "/clients/\(theirs.clientID)", "/batches/\(theirs.batchID)", "/api/v1/emails/\(theirEmail)"] {
                #expect(try await web.request(path).status == .notFound, "GET \(path)")
            }
            for path in ["approve", "edit", "reject", "claim", "undo"].map({ "/review/\(theirEmail)/\($0)" })
                + ["approve", "edit", "reject"].map({ "/api/v1/emails/\(theirEmail)/\($0)" })
            {
                let page = try await web.request(
                    path, method: .post,
                    headers: [
                        CSRFHeader.name: web.csrf, .contentType: path.hasPrefix("/api") ? "application/json" : "application/x-www-form-urlencoded",
                    ],
                    body: path.hasPrefix("/api") ? #"{"body": "x", "reason": "other"}"# : "body=x&reason=other")
                #expect(page.status == .notFound, "POST \(path)")
            }
            _ = try await web.post("/review/bulk", [("ids[]", String(theirEmail)), ("action", "approve")])
            #expect(try await EmailRepository(database: database).summary(id: theirEmail)?.status == .pendingReview)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails WHERE claimed_by IS NOT NULL") == 0)
            let upload = ImportPageTests.multipart(
                boundary: "bnd", fields: [("_csrf", web.csrf), ("template", String(theirs.templateID))],
                file: ("x.csv", "email,company\nq@x.example,Q\n"))
            #expect(
                try await web.request("/import", method: .post, body: upload, contentType: "multipart/form-data; boundary=bnd").status
                    == .unprocessableContent)
        }
    }
}
