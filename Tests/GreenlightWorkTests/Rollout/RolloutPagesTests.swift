import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
import GreenlightTestSupport

/// The managers' rollout pages and API on both databases: readiness shown with its evidence,
/// promotion with a typed reason against unmet criteria, settings refused whole when one value is bad,
/// the kill switch, manager API keys, and the Slack message of an automatic demotion.
@Suite("Rollout pages and API")
struct RolloutPagesTests {
    @Test(
        "the rollout page shows each criterion; promoting against unmet ones needs a reason; bad settings change nothing",
        arguments: DatabaseDialect.allCases)
    func managerPage(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 12)
            _ = try await Seed.user(database, email: "boss@team.example", role: .manager, name: "Boss")
            var web = WebClient(client)
            _ = try await web.login("boss@team.example")
            let page = try await web.request("/clients/\(seed.clientID)/rollout")
            #expect(page.status == .ok)
            for name in ["reviewed", "approval_rate", "edit_rate", "review_time", "reason_share"] {
                #expect(page.text.contains("data-criterion=\"\(name)\""), "criterion \(name) is shown")
            }
            #expect(page.text.contains("Ready for partial?") && page.text.contains("not met"))
            #expect(page.text.contains("<p class=\"forecast\" id=\"forecast\"><strong>Not yet:"), "the page opens with one sentence")
            let overview = try await web.request("/rollout")
            #expect(overview.text.contains("of 5 criteria met for partial"))
            let exportLink = "href=\"/clients/\(seed.clientID)/export\""
            #expect(page.text.contains(exportLink) && overview.text.contains(exportLink), "the rollout pages lead to the client's export")
            let clientPage = try await web.request("/clients/\(seed.clientID)").text
            #expect(
                clientPage.contains(exportLink) && clientPage.contains("href=\"/clients/\(seed.clientID)/rollout\""),
                "so does the client's page, for a manager")
            _ = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            var sdr = WebClient(client)
            _ = try await sdr.login("sam@team.example")
            let sdrPage = try await sdr.request("/clients/\(seed.clientID)")
            #expect(sdrPage.status == .ok && !sdrPage.text.contains(exportLink), "an SDR sees no link to a page refused to them")

            let refused = try await web.post("/clients/\(seed.clientID)/rollout/phase", [("phase", "partial")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("not met yet") && refused.text.contains("type a reason to promote anyway"))
            #expect(
                refused.text.contains("number of human-reviewed drafts") && !refused.text.contains("(reviewed"),
                "criteria named in words, not column names")
            #expect(try await RolloutRepository(database: database).state(clientID: seed.clientID).phase == .shadow)
            // A promotion is confirmed on a page that says what it changes; until then nothing moves.
            let asked = try await web.post(
                "/clients/\(seed.clientID)/rollout/phase", [("phase", "partial"), ("reason", "pilot week agreed with the client")])
            #expect(asked.status == .ok)
            #expect(asked.text.contains("Promote Northwind Ledger from shadow to partial?"))
            #expect(asked.text.contains("Drafts scoring 90 or more") && asked.text.contains("will skip review and be approved automatically"))
            #expect(asked.text.contains(#"<input type="hidden" name="reason" value="pilot week agreed with the client">"#))
            #expect(try await RolloutRepository(database: database).state(clientID: seed.clientID).phase == .shadow, "not before it is confirmed")
            let promoted = try await web.post(
                "/clients/\(seed.clientID)/rollout/phase",
                [("phase", "partial"), ("reason", "pilot week agreed with the client"), ("confirm", "yes")])
            #expect(promoted.status == .seeOther)
            #expect(try await RolloutRepository(database: database).state(clientID: seed.clientID).phase == .partial)
            // In partial, what prospects answered is a criterion too; nothing sent yet decides nothing.
            let partial = try await web.request("/clients/\(seed.clientID)/rollout").text
            for name in ["auto_rate", "rejection_rate", "reply_difference"] {
                #expect(partial.contains("data-criterion=\"\(name)\""), "criterion \(name) is shown")
            }
            #expect(
                partial.contains("Positive reply rate, auto-approved minus human-reviewed emails sent in the last 60 days (0 of 0 against 0 of 0)"))
            #expect(partial.contains("&gt; −1 pt"), "the margin, in points")
            #expect(partial.contains("<th scope=\"col\">Sent</th><th scope=\"col\">Replied</th>"), "calibration shows replies per band")
            #expect(partial.contains("setting-reply_margin") && partial.contains("setting-bounce_limit"), "the outcome settings are editable")
            let skip = try await web.post("/clients/\(seed.clientID)/rollout/phase", [("phase", "shadow"), ("reason", "")])
            #expect(skip.status == .seeOther, "moving back down needs no reason")

            let bad = try await web.post("/clients/\(seed.clientID)/rollout/settings", [("partial_threshold", "80"), ("sample_rate", "2")])
            #expect(bad.status == .unprocessableContent && bad.text.contains("sample_rate must be a fraction from 0 to 1"))
            #expect(try await RolloutRepository(database: database).state(clientID: seed.clientID).settings.partialThreshold == 90, "nothing saved")
            let good = try await web.post(
                "/clients/\(seed.clientID)/rollout/settings",
                [("partial_threshold", "80"), ("sample_rate", "10%"), ("reason", "calibration says so")])
            #expect(good.status == .seeOther)
            let settings = try await RolloutRepository(database: database).state(clientID: seed.clientID).settings
            #expect(settings.partialThreshold == 80 && settings.sampleRateBP == 1_000)
            let history = try await web.request("/clients/\(seed.clientID)/rollout")
            #expect(history.text.contains("partial_threshold: 90 → 80; sample_rate: 0.05 → 0.1"))
            #expect(history.text.contains("pilot week agreed with the client") && history.text.contains("<td>promote</td>"))

            // The switch of every client is an admin's (a manager's acts on their own clients: KillSwitchScopeTests).
            _ = try await Seed.user(database, email: "ada@team.example", role: .admin, name: "Ada")
            var admin = WebClient(client)
            _ = try await admin.login("ada@team.example")
            _ = try await admin.post("/rollout/pause", [("reason", "complaint")])
            #expect(try await admin.request("/rollout").text.contains("paused for every client"))
            #expect(
                try await web.request("/review").text.contains("Auto-approval and export are paused for every client (by Ada)"),
                "a banner on every page for managers")
            #expect(!(try await sdr.request("/review").text.contains("paused for every client")), "SDRs are not shown the banner")
            #expect(try await RolloutRepository(database: database).isPausedGlobally())
            _ = try await admin.post("/rollout/resume")
            #expect(!(try await RolloutRepository(database: database).isPausedGlobally()))
        }
    }

    @Test(
        "a manager API key reads and changes the rollout; a bad value is named and changes nothing; a reviewer key is refused",
        arguments: DatabaseDialect.allCases)
    func api(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 3)
            let keys = APIKeyRepository(database: database)
            let manager = try await keys.create(clientID: seed.clientID, name: "n8n", role: .manager)
            let reviewer = try await keys.create(clientID: seed.clientID, name: "clay")
            var web = WebClient(client)
            func call(_ method: HTTPRequest.Method, _ key: String, _ body: String? = nil, path: String = "/api/v1/clients/\(seed.clientID)/rollout")
                async throws -> WebClient.Page
            {
                try await web.request(
                    path, method: method, headers: [.authorization: "Bearer \(key)"], body: body, contentType: body == nil ? nil : "application/json")
            }
            let read = try await call(.get, manager)
            #expect(read.status == .ok)
            let json = try read.json()
            #expect(json["phase"] as? String == "shadow" && json["next_phase"] as? String == "partial")
            #expect((json["settings"] as? [String: Any])?["sample_rate"] as? Double == 0.05)
            let readiness = try #require(json["readiness"] as? [[String: Any]])
            #expect(readiness.map { $0["name"] as? String } == ["reviewed", "approval_rate", "edit_rate", "review_time", "reason_share"])
            #expect(readiness.allSatisfy { $0["n"] is Int && $0["met"] is Bool })
            #expect(((json["calibration"] as? [String: Any])?["bands"] as? [Any])?.count == 10)
            #expect((json["paused"] as? [String: Any])?["global"] as? Bool == false)
            #expect(try await call(.get, manager, path: "/api/v1/clients/Northwind%20Ledger/rollout").status == .ok, "a client by name")

            for (body, field) in [
                (#"{"sample_rate": 1.5}"#, "sample_rate"), (#"{"partial_threshold": "high"}"#, "partial_threshold"),
                (#"{"phase": "turbo"}"#, "phase"), (#"{"paused": "yes"}"#, "paused"), (#"{"speed": 3}"#, "speed"),
                (#"{"full_threshold": 70, "sample_rate": -1}"#, "sample_rate"),
            ] {
                let answer = try await call(.put, manager, body)
                #expect(answer.status == .unprocessableContent, "\(body) → \(answer.status.code)")
                #expect(answer.text.contains(field), "\(body): the error names \(field): \(answer.text)")
            }
            #expect(try await RolloutRepository(database: database).state(clientID: seed.clientID).settings.fullThreshold == 85)
            #expect(try await RolloutRepository(database: database).history(clientID: seed.clientID).isEmpty, "nothing changed")
            let unmet = try await call(.put, manager, #"{"phase": "partial"}"#)
            #expect(unmet.status == .unprocessableContent && unmet.text.contains("type a reason"))
            let changed = try await call(
                .put, manager, #"{"phase": "partial", "sample_rate": 0.1, "paused": true, "reason": "agreed on the weekly call"}"#)
            #expect(changed.status == .ok)
            let after = try changed.json()
            #expect(after["phase"] as? String == "partial" && (after["paused"] as? [String: Any])?["client"] as? Bool == true)
            let history = try await RolloutRepository(database: database).history(clientID: seed.clientID)
            #expect(Set(history.map(\.action)) == [.promote, .settings, .pause])
            #expect(history.allSatisfy { $0.actorName == "API key n8n" && $0.reason == "agreed on the weekly call" })
            #expect(try await call(.get, reviewer).status == .forbidden)
            #expect(try await call(.put, reviewer, #"{"paused": false}"#).status == .forbidden)
        }
    }

    @Test(
        "an automatic demotion from a decision in the queue posts to the client's Slack webhook (a loopback fake)",
        arguments: DatabaseDialect.allCases)
    func slackOnDemotion(_ dialect: DatabaseDialect) async throws {
        try await FakeSlack.run([.ok]) { slack, base in
            try await TestDatabase.with(dialect) { database in
                let box = try SecretBox(base64Key: SecretBox.makeKey())
                let configuration = AppConfiguration(paths: TestDatabase.paths, bcryptCost: 4, secretBox: box)
                let app = try await buildApplication(configuration: configuration, database: database, logger: TestDatabase.logger)
                let seed = try await Seed.make(database, contacts: 0)
                try await ClientSecrets(database: database, box: box).set(
                    clientID: seed.clientID, sequencerKind: nil, sequencerKey: nil, slackWebhook: base + "/services/T000/B000/secret")
                try await RolloutFlowTests.configure(database, clientID: seed.clientID, phase: .full, sampleRate: "1")
                _ = try await Seed.importAndDraft(database, seed: seed, contacts: 12)
                _ = try await Seed.user(database, email: "sam@team.example", name: "Sam")
                let ids = try await ReviewQueue(database: database).page(QueueFilter(status: .all)).emails.map(\.id)
                _ = try await Seed.user(database, email: "boss@team.example", role: .manager, name: "Boss")
                try await app.test(.router) { client in
                    var web = WebClient(client)
                    _ = try await web.login("sam@team.example")
                    for id in ids.prefix(11) {
                        #expect(try await web.post("/review/\(id)/reject", [("reason", "low_quality")]).status == .seeOther)
                    }
                    var boss = WebClient(client)
                    _ = try await boss.login("boss@team.example")
                    let queue = try await boss.request("/review")
                    #expect(
                        queue.text.contains("Northwind Ledger dropped back from full to partial on "), "the demotion banner on the manager's queue")
                    #expect(queue.text.contains("href=\"/clients/\(seed.clientID)/rollout\">Review and restore</a>"))
                    let restored = try await boss.post("/clients/\(seed.clientID)/rollout/phase", [("phase", "full")])
                    #expect(restored.status == .seeOther, "restoring needs no reason")
                    #expect(!(try await boss.request("/review").text.contains("dropped back")), "the banner goes once the phase is restored")
                }
                let history = try await RolloutRepository(database: database).history(clientID: seed.clientID)
                #expect(history.first?.action == .restore && history.first?.actorName == "Boss")
                #expect(try await RolloutRepository(database: database).state(clientID: seed.clientID).phase == .full)
                let posted = slack.requests
                #expect(posted.count == 1)
                #expect(posted.first?.path == "/services/T000/B000/secret")
                #expect(
                    posted.first?.body.contains(
                        "Northwind Ledger dropped back from full to partial. 11 of the last 11 human-reviewed drafts in full were rejected") == true)
            }
        }
    }
}
