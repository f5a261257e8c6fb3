import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import HTTPTypes
import Logging
import SQLKit
import Testing
import GreenlightTestSupport

/// The export page and API against a fake Instantly: the preview names the campaign and its emails,
/// "run now" answers at once and the run goes on in the background, the history shows each lead's
/// outcome; `POST /api/v1/exports` answers 202 with the run id, a second start while it runs is a 409.
@Suite("Export page and API", .timeLimit(.minutes(15)))
struct ExportPageTests {
    @Test("preview, run now in the background, history with each lead; the API starts runs and lists them", arguments: DatabaseDialect.allCases)
    func pageAndAPI(_ dialect: DatabaseDialect) async throws {
        try await FakeSequencer.run { fake, baseURL in
            let box = try SecretBox(base64Key: SecretBox.makeKey())
            try await withApp(dialect, secretBox: box, sequencers: SequencerFactory(instantlyBaseURL: baseURL, sleep: { _ in })) { database, client in
                let seed = try await Seed.make(database, contacts: 12)
                _ = try await Seed.user(database, email: "boss@team.example", role: .manager, name: "Boss")
                try await ClientSecrets(database: database, box: box).set(
                    clientID: seed.clientID, sequencerKind: "instantly", sequencerKey: fake.key, slackWebhook: nil)
                let ids = try await ReviewQueue(database: database).page(QueueFilter(), limit: 5).emails.map(\.id)
                for id in ids { _ = try await ReviewDecider(database: database).decide(.approve, emailID: id, by: Reviewer(id: nil, name: "Sam")) }

                var boss = WebClient(client)
                _ = try await boss.login("boss@team.example")
                let page = try await boss.request("/clients/\(seed.clientID)/export")
                #expect(page.status == .ok)
                #expect(
                    page.text.contains("Northwind Ledger - Northwind intro EN - ") && page.text.contains("<td data-label=\"Emails\">5</td>"),
                    "the preview names the campaign and counts its emails")
                #expect(
                    page.text.contains(
                        "Uploads 5 leads; the sequencer starts up to 50 new leads a day on Monday to Friday, so all of them start on the first sending day."
                    ))
                #expect(
                    page.text.components(separatedBy: "<details class=\"sample\"><summary>").count - 1 == 3, "the first three emails, as they will go"
                )
                let first = try #require(try await EmailRepository(database: database).summary(id: ids[0]))
                #expect(page.text.contains("<summary>\(first.contactEmail) — \(first.subject)</summary><div class=\"text\">"))
                #expect(
                    page.text.contains("<select id=\"export-timezone\" name=\"timezone\" required>")
                        && page.text.contains("<option value=\"Europe/London\" selected>"), "the time zone from a list")
                #expect(page.text.contains("Next scheduled run: <strong>") && page.text.contains(":00 Europe/London"))
                #expect(page.text.contains("action=\"/clients/\(seed.clientID)/export/run\""))
                #expect(!page.text.contains("notice error"), "no error box when nothing is wrong")

                let started = try await boss.post("/clients/\(seed.clientID)/export/run")
                #expect(started.status == .seeOther)
                let runID = try #require(
                    try await database.read { sql in
                        try await sql.raw("SELECT MAX(id) AS id FROM export_runs").first()?.decode(column: "id", as: Int?.self)
                    })
                #expect(try await ExportFixtures.settled(database, runID: runID) == "finished")
                let after = try await boss.request("/clients/\(seed.clientID)/export")
                #expect(after.text.contains("Export run \(runID) started"), "the notice")
                #expect(
                    after.text.contains("<strong>finished</strong> · 5 sent, 0 failed of 5") && after.text.contains("lead-"),
                    "\(after.text.prefix(200))")
                #expect(after.text.contains("No approved email waits for export."))
                #expect(
                    !after.text.contains("notice error") && after.text.contains("<p>Campaigns: Northwind Ledger - Northwind intro EN - "),
                    "a finished run names its campaign and shows no error box")
                #expect(fake.receivedCounts.count == 5)
                let sentQueue = try await boss.request("/review?status=sent")
                #expect(
                    sentQueue.text.contains("<p class=\"export\">Sent ") && sentQueue.text.contains("to Northwind Ledger - Northwind intro EN - "),
                    "the queue shows sent emails with their campaign")

                // The API: start a run (nothing new to send, still a run), list, read one.
                _ = try await ReviewDecider(database: database).decide(
                    .approve, emailID: try await ReviewQueue(database: database).page(QueueFilter(), limit: 1).emails[0].id,
                    by: Reviewer(id: nil, name: "Sam"))
                let key = try await APIKeyRepository(database: database).create(clientID: seed.clientID, name: "make", role: .manager)
                var api = WebClient(client)
                let accepted = try await api.request(
                    "/api/v1/exports", method: .post, headers: [.authorization: "Bearer \(key)"],
                    body: #"{"client": "Northwind Ledger"}"#, contentType: "application/json")
                #expect(accepted.status == .accepted, "\(accepted.text)")
                let second = try #require(try accepted.json()["run_id"] as? Int)
                #expect(accepted.location == "/api/v1/exports/\(second)")
                #expect(try await ExportFixtures.settled(database, runID: second) == "finished")
                let listed = try await api.request("/api/v1/exports?client=Northwind%20Ledger", headers: [.authorization: "Bearer \(key)"]).json()
                #expect((listed["runs"] as? [[String: Any]])?.map { $0["sent"] as? Int } == [1, 5])
                let one = try await api.request("/api/v1/exports/\(runID)", headers: [.authorization: "Bearer \(key)"]).json()
                #expect(
                    (one["items"] as? [[String: Any]])?.count == 5
                        && (one["campaigns"] as? [[String: Any]])?.first?["campaign_id"] as? String == fake.allCampaigns.first?.id)
                #expect(
                    try await api.request(
                        "/api/v1/exports", method: .post, headers: [.authorization: "Bearer \(key)"],
                        body: #"{"client": "Nobody"}"#, contentType: "application/json"
                    ).status == .notFound)
                #expect(fake.receivedCounts.count == 6 && fake.receivedCounts.values.allSatisfy { $0 == 1 })
                _ = try await Seed.user(database, email: "root@team.example", role: .admin, name: "Root")
                var root = WebClient(client)
                _ = try await root.login("root@team.example")
                let metrics = try await root.request("/metrics").text
                #expect(
                    metrics.contains(#"greenlight_export_runs_total{outcome="finished"} 2"#)
                        && metrics.contains("greenlight_exported_emails_total 6"), "\(metrics)")

                // The kill switch: run now refuses with the reason.
                try await RolloutRepository(database: database).setPaused(
                    true, clientID: seed.clientID, by: Reviewer(id: nil, name: "Boss"), reason: nil)
                let refused = try await api.request(
                    "/api/v1/exports", method: .post, headers: [.authorization: "Bearer \(key)"],
                    body: #"{"client": "Northwind Ledger"}"#, contentType: "application/json")
                #expect(refused.status == .unprocessableContent && refused.text.contains("kill switch"), "\(refused.text)")
            }
        }
    }

    @Test(
        "the settings form: a wrong value, a refused key or an account the sequencer lacks saves nothing and says why; good values are saved",
        arguments: DatabaseDialect.allCases, FakeSequencer.Vendor.allCases)
    func settingsForm(_ dialect: DatabaseDialect, _ vendor: FakeSequencer.Vendor) async throws {
        try await FakeSequencer.run(vendor) { fake, baseURL in
            let box = try SecretBox(base64Key: SecretBox.makeKey())
            let factory = SequencerFactory(instantlyBaseURL: baseURL, smartleadBaseURL: baseURL, sleep: { _ in })
            try await withApp(dialect, secretBox: box, sequencers: factory) { database, client in
                let seed = try await Seed.make(database, contacts: 2)
                _ = try await Seed.user(database, email: "boss@team.example", role: .manager, name: "Boss")
                try await ClientSecrets(database: database, box: box).set(
                    clientID: seed.clientID, sequencerKind: vendor.rawValue, sequencerKey: fake.key, slackWebhook: nil)
                let before = try await database.read { sql in try await ExportSettings.load(sql, clientID: seed.clientID) }
                var boss = WebClient(client)
                _ = try await boss.login("boss@team.example")
                let path = "/clients/\(seed.clientID)/export/settings"
                /// The form as a browser posts it, with some fields changed ("-": left out, as an unticked box).
                func form(_ changes: [String: String] = [:]) -> [(String, String)] {
                    var fields = [
                        "accounts": "hannah@northwind.example", "timezone": "America/New_York", "export_hour": "9", "daily_limit": "80",
                        "day_1": "on", "day_2": "on", "day_3": "on", "from": "08:30", "to": "16:00", "stop_on_reply": "on",
                    ]
                    for (name, value) in changes { fields[name] = value }
                    return fields.filter { $0.value != "-" }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                }
                for (changes, says) in [
                    (["timezone": "Mars/Olympus"], "is not a time zone name"), (["export_hour": "two"], "the export hour must be a whole number"),
                    (["export_hour": "24"], "the export hour must be 0 to 23"),
                    (["day_1": "-", "day_2": "-", "day_3": "-"], "days must be distinct weekdays"),
                    (["from": "17:00"], "must end after it starts"), (["accounts": "not-an-address"], "is not an email address"),
                    (["accounts": "nobody@northwind.example"], "has no sending account nobody@northwind.example"),
                ] {
                    let answer = try await boss.post(path, form(changes))
                    #expect(
                        answer.status == .unprocessableContent && answer.text.contains(says),
                        "\(changes): \(answer.status) \(answer.text.contains("settings-error"))")
                    #expect(answer.text.contains("id=\"settings-error\""), "the problem is shown beside the form")
                }
                fake.set { $0.key = "revoked" }
                let refused = try await boss.post(path, form())
                #expect(refused.status == .unprocessableContent && refused.text.contains("refused the API key (401)"), "\(refused.text.count)")
                #expect(refused.text.contains("value=\"America/New_York\""), "the page keeps what was typed")
                #expect(try await database.read { sql in try await ExportSettings.load(sql, clientID: seed.clientID) } == before, "nothing saved")

                fake.set { $0.key = "\(vendor)-test-key" }
                let saved = try await boss.post(path, form())
                #expect(saved.status == .seeOther, "\(saved.text)")
                let after = try await database.read { sql in try await ExportSettings.load(sql, clientID: seed.clientID) }
                #expect(
                    after.accounts == ["hannah@northwind.example"] && after.timezone == "America/New_York" && after.exportHour == 9
                        && after.dailyLimit == 80
                        && after.days == [1, 2, 3] && after.from == "08:30" && after.to == "16:00" && !after.activate && after.stopOnReply, "\(after)"
                )
                let page = try await boss.request("/clients/\(seed.clientID)/export")
                #expect(page.text.contains("Export settings of Northwind Ledger saved.") && page.text.contains("09:00 America/New_York"))
                let audit = try await AuditLog(database: database).recent().filter { $0.action != "secrets set" }
                #expect(
                    audit.count == 1 && audit[0].actor == "Boss" && audit[0].action == "export settings saved"
                        && audit[0].target == "Northwind Ledger"
                        && audit[0].details.contains("export hour \(before.exportHour) → 9")
                        && audit[0].details.contains("time zone \(before.timezone) → America/New_York")
                        && audit[0].details.contains("sending window \(before.from)–\(before.to) → 08:30–16:00"),
                    "one entry for the save, none for the refused attempts: \(audit.map(\.details))")
                _ = try await boss.post(path, form())
                #expect(try await AuditLog(database: database).recent().first?.details == "nothing changed")
            }
        }
    }

    @Test("a refused key: the run's error on the export page, the emails still approved with it on their cards", arguments: DatabaseDialect.allCases)
    func failedRunShown(_ dialect: DatabaseDialect) async throws {
        try await FakeSequencer.run { fake, baseURL in
            let box = try SecretBox(base64Key: SecretBox.makeKey())
            try await withApp(dialect, secretBox: box, sequencers: SequencerFactory(instantlyBaseURL: baseURL, sleep: { _ in })) { database, client in
                let seed = try await Seed.make(database, contacts: 4)
                _ = try await Seed.user(database, email: "boss@team.example", role: .manager, name: "Boss")
                let secrets = ClientSecrets(database: database, box: box)
                try await secrets.set(clientID: seed.clientID, sequencerKind: "instantly", sequencerKey: "revoked-key", slackWebhook: nil)
                let id = try #require(try await ReviewQueue(database: database).page(QueueFilter(), limit: 1).emails.first?.id)
                _ = try await ReviewDecider(database: database).decide(.approve, emailID: id, by: Reviewer(id: nil, name: "Sam"))
                var logger = Logger(label: "export-page-test")
                logger.logLevel = .critical
                let outcome = try await Exporter(
                    database: database, secrets: secrets, factory: SequencerFactory(instantlyBaseURL: baseURL, sleep: { _ in }),
                    clock: ManualClock(startingAt: TimeSource.system.nowMillis() + 60_000).source, logger: logger
                ).run(clientID: seed.clientID)
                #expect(outcome.status == "failed" && fake.receivedCounts.isEmpty)
                var boss = WebClient(client)
                _ = try await boss.login("boss@team.example")
                let page = try await boss.request("/clients/\(seed.clientID)/export")
                let summary =
                    page.text.components(separatedBy: "<details class=\"run\"").dropFirst().first?.components(separatedBy: "</summary>").first ?? ""
                #expect(
                    summary.contains("<strong>failed</strong> · 0 sent, 1 failed of 1")
                        && page.text.contains("the sequencer refused the API key (401)"), "\(summary)")
                #expect(
                    page.text.contains("A run now would send") && page.text.contains("<td data-label=\"Emails\">1</td>"),
                    "the email is still approved: the preview counts it again")
                let queue = try await boss.request("/review?status=approved")
                #expect(queue.text.contains("refused the API key (401)"), "the card says why it was not sent")
            }
        }
    }

    @Test("a prepared CSV's message holds its download and its buttons; runs and leads are said in words", arguments: DatabaseDialect.allCases)
    func preparedFile(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 6)
            _ = try await Seed.user(database, email: "boss@team.example", role: .manager, name: "Boss")
            for id in try await ReviewQueue(database: database).page(QueueFilter(), limit: 2).emails.map(\.id) {
                _ = try await ReviewDecider(database: database).decide(.approve, emailID: id, by: Reviewer(id: nil, name: "Sam"))
            }
            var boss = WebClient(client)
            _ = try await boss.login("boss@team.example")
            let prepared = try await boss.post("/clients/\(seed.clientID)/export/csv")
            let run = try #require(
                try await database.read { sql in
                    try await sql.raw("SELECT id FROM export_runs WHERE status = 'awaiting_upload'").first()?.decode(column: "id", as: Int.self)
                })
            #expect(prepared.location == "/clients/\(seed.clientID)/export?prepared=\(run)#prepared")
            let page = try await boss.request("/clients/\(seed.clientID)/export?prepared=\(run)")
            let message = try #require(
                page.text.components(separatedBy: "<div class=\"notice\" id=\"prepared\"").dropFirst().first?.components(
                    separatedBy: "</div>\n</div>"
                ).first)
            #expect(message.contains("A CSV of 2 emails is ready (run \(run)).") && message.contains("href=\"/exports/\(run)/csv\""))
            #expect(message.contains("action=\"/exports/\(run)/confirm\"") && message.contains("action=\"/exports/\(run)/cancel\""))
            #expect(
                page.text.contains("started by hand · <strong>waiting for upload</strong>")
                    && page.text.contains("<td data-label=\"Outcome\">waiting for upload</td>"))
            #expect(!page.text.contains("awaiting_upload") && !page.text.contains(">claimed<"), "no column codes")
            #expect(
                !(try await boss.request("/clients/\(seed.clientID)/export?prepared=999")).text.contains("id=\"prepared\""),
                "only a file waiting for upload")
        }
    }
}
