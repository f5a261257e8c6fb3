import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightWeb
import HTTPTypes
import SQLKit
import Testing
import GreenlightTestSupport

/// A manager runs a prompt experiment from the browser: a refused form comes back with the message
/// and what was typed, nothing started; a good one starts it; the page and the dashboard compare
/// the two versions; keeping the variant makes it the only version. An SDR is refused the page.
@Suite("Prompt experiment pages")
struct PromptPagesTests {
    @Test("start, compare on the page and the dashboard, keep the winner; refused forms change nothing", arguments: DatabaseDialect.allCases)
    func managerRunsAnExperiment(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 0)
            _ = try await Seed.user(database, email: "boss@team.example", role: .manager, name: "Boss")
            _ = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            var web = WebClient(client)
            _ = try await web.login("boss@team.example")
            let empty = try await web.request("/clients/\(seed.clientID)/prompts")
            #expect(empty.status == .ok)
            #expect(empty.text.contains("The version its agents are told: Standard") && empty.text.contains("Start an experiment"))

            let refused = try await web.post(
                "/clients/\(seed.clientID)/prompts/experiment",
                [("name", "Question opener"), ("instructions", "Open with a question."), ("share", "100")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("share must be a percentage of the contacts above 0 and below 100 (like 50), got &quot;100&quot;"))
            #expect(
                refused.text.contains("value=\"Question opener\"") && refused.text.contains(">Open with a question.</textarea>"),
                "what was typed stays")
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM prompt_experiments") == 0)

            let started = try await web.post(
                "/clients/\(seed.clientID)/prompts/experiment",
                [("name", "Question opener"), ("instructions", "Open with a question."), ("share", "20%")])
            #expect(started.status == .seeOther)
            let page = try await web.request("/clients/\(seed.clientID)/prompts")
            #expect(page.text.contains("Experiment started: 20% of Northwind Ledger&#39;s new contacts are drafted with Question opener"))
            #expect(page.text.contains("Running: Standard against Question opener"))
            #expect(page.text.contains("data-rate=\"positive_reply_rate\"") && page.text.contains("not enough evidence yet"))
            let dashboard = try await web.request("/dashboard")
            #expect(dashboard.text.contains("Prompt experiments") && dashboard.text.contains("Northwind Ledger: Standard against Question opener"))

            let noWinner = try await web.post("/clients/\(seed.clientID)/prompts/experiment/end", [("winner", "both")])
            #expect(noWinner.status == .unprocessableContent && noWinner.text.contains("choose the version to keep"))
            let kept = try await web.post("/clients/\(seed.clientID)/prompts/experiment/end", [("winner", "variant")])
            #expect(kept.status == .seeOther)
            let after = try await web.request("/clients/\(seed.clientID)/prompts")
            #expect(after.text.contains("Question opener is now Northwind Ledger&#39;s only prompt version"))
            #expect(after.text.contains("The version its agents are told: Question opener") && after.text.contains("Open with a question."))
            #expect(after.text.contains("kept as the only version") && after.text.contains("Start an experiment"))
            #expect(try await PromptExperiments(database: database).setup(clientID: seed.clientID).current.name == "Question opener")

            var sdr = WebClient(client)
            _ = try await sdr.login("sam@team.example")
            #expect(try await sdr.request("/clients/\(seed.clientID)/prompts").status == .forbidden)
            #expect(!(try await sdr.request("/dashboard").text.contains("Prompt experiments")), "SDRs see their own progress")
        }
    }
}
