import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import HTTPTypes
import Testing
import GreenlightTestSupport

/// The command line and the browser share one validation path per object (issue 31): the same bad
/// input, given to `greenlight` and to the page, is refused with the same message.
@Suite("CLI and browser: one message per mistake", .timeLimit(.minutes(15)))
struct CLIBrowserSameMessageTests {
    /// The message a failed command printed: its `Error: …` line, without the prefix.
    static func message(_ output: String) -> String {
        let line = output.split(separator: "\n").first { $0.hasPrefix("Error: ") } ?? Substring(output)
        return String(line.dropFirst("Error: ".count)).trimmingCharacters(in: .whitespaces)
    }

    @Test(
        "a short password, a bad email, a bad budget, an empty key name, a pack without personas, a template with an unknown variable: the same words from both"
    )
    func sameMessages() async throws {
        let cli = try await GreenlightProcess.withFolder { cli in
            _ = try await cli.succeed(["client", "add", TestDatabase.paths.demoData + "/pack"])
            // A pack whose personas have no `## ` heading.
            let pack = cli.folder.appendingPathComponent("pack").path
            try FileManager.default.copyItem(atPath: TestDatabase.paths.demoData + "/pack", toPath: pack)
            try "Operations people, mostly.\n".write(toFile: pack + "/personas.md", atomically: true, encoding: .utf8)
            let template = cli.folder.appendingPathComponent("unknown.md").path
            try TemplateFormTests.text.replacingOccurrences(of: "{{solve_specific_pain}}", with: "{{pain_killer}}").write(
                toFile: template, atomically: true, encoding: .utf8)
            var messages: [String] = []
            for arguments in [
                ["user", "add", "--email", "sia@team.example", "--password", "short", "--role", "sdr"],
                ["user", "add", "--email", "sia@", "--password", "long enough", "--role", "sdr"],
                ["model", "budget", "--client", "Northwind Ledger", "--hourly", "lots"],
                ["apikey", "create", "--client", "Northwind Ledger", "--name", " "],
                ["client", "add", pack],
                ["template", "add", template, "--client", "Northwind Ledger"],
            ] {
                let result = try await cli.run(arguments)
                #expect(result.status != 0, "\(arguments): \(result)")
                messages.append(Self.message(result.output))
            }
            return messages
        }
        #expect(cli[0] == "the password must have at least 8 characters", "\(cli)")
        try await withApp(.sqlite) { database, client in
            let seed = try await Seed.make(database, contacts: 0, generate: false)
            _ = try await Seed.user(database, email: "ada@team.example", role: .admin)
            var admin = WebClient(client)
            try await admin.login("ada@team.example")
            let invalid = try await admin.post("/team/invitations", [("email", "sia@"), ("role", "sdr"), ("client_\(seed.clientID)", "on")])
            let made = try await admin.post("/team/invitations", [("email", "sia@team.example"), ("role", "sdr"), ("client_\(seed.clientID)", "on")])
            let path = try #require(TeamPageTests.linkPath(made))
            var sia = WebClient(client)
            let form = try await sia.request(path)
            let token = try #require(TeamPageTests.field("_csrf", in: form.text))
            let short = try await sia.post(path, [("_csrf", token), ("password", "short"), ("confirmation", "short")], csrf: false)
            let budget = try await admin.post("/clients/\(seed.clientID)/budgets", [("hourly", "lots"), ("daily", "")])
            let key = try await admin.post("/clients/\(seed.clientID)/keys", [("name", " "), ("role", "reviewer")])
            let pack = try await admin.post(
                "/clients", ClientFormTests.replacing(ClientFormTests.pack, "personas", with: "Operations people, mostly.") + [("action", "save")])
            #expect(cli[4].hasSuffix("the personas name no persona: write one `## job title` heading per persona"), "\(cli)")
            let folderMessage = String(cli[4].drop { $0 != " " }.dropFirst())
            let unknown = try await admin.post(
                "/clients/\(seed.clientID)/templates",
                [("text", TemplateFormTests.text.replacingOccurrences(of: "{{solve_specific_pain}}", with: "{{pain_killer}}")), ("action", "save")])
            // The source differs (the file's path, "the template"); the words after it are the same.
            #expect(cli[5].contains(" names variables that no agent or contact field provides: pain_killer"), "\(cli)")
            let templateMessage = String(cli[5][cli[5].range(of: " names variables")!.lowerBound...])
            for (page, message) in zip([short, invalid, budget, key, pack, unknown], cli.prefix(4) + [folderMessage, templateMessage]) {
                #expect(page.status == .unprocessableContent)
                #expect(page.text.contains(FastHTMLContentType.escape(message)), "the page should say \"\(message)\"")
            }
        }
    }
}
