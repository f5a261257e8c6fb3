import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import Testing
import GreenlightTestSupport

@Suite("Context packs and templates")
struct ContextPackTests {
    static let packPath = TestDatabase.paths.demoData + "/pack"

    @Test func readsTheDemoPack() throws {
        let contents = try ContextPackFolder(path: Self.packPath).read()
        #expect(contents.profile.name == "Northwind Ledger")
        #expect(contents.pack.personas.map(\.title).contains("financial controller"))
        #expect(contents.pack.painPoints.count == 6)
        #expect(contents.pack.painPoints.allSatisfy { !$0.title.isEmpty && !$0.description.isEmpty })
        #expect(contents.pack.competitors.count == 6)
        #expect(contents.pack.caseStudies.count == 4)
    }

    @Test func namesWhatIsMissingOrMalformed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pack-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: Self.packPath, toPath: folder.path)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("personas.md"))
        #expect(throws: ImportError.self) { try ContextPackFolder(path: folder.path).read() }
        do { _ = try ContextPackFolder(path: folder.path).read() } catch { #expect(error.message.contains("personas.md is missing")) }
        try "# Personas\n\n## cfo\nOwns cash.".write(to: folder.appendingPathComponent("personas.md"), atomically: true, encoding: .utf8)
        try "[{\"name\": \"X\"}]".write(to: folder.appendingPathComponent("competitors.json"), atomically: true, encoding: .utf8)
        do {
            _ = try ContextPackFolder(path: folder.path).read()
            Issue.record("a competitor without positioning was accepted")
        } catch {
            #expect(error.message.contains("competitors.json"))
            #expect(error.message.contains("positioning"))
        }
        #expect(throws: ImportError.self) { try ContextPackFolder(path: "/nonexistent/pack").read() }
    }

    @Test func parsesTheDemoTemplate() throws {
        let text = try String(contentsOfFile: TestDatabase.paths.demoData + "/template.md", encoding: .utf8)
        let template = try TemplateFile.parse(text)
        #expect(template.strategy == .coldEmail)
        #expect(template.minWords == 120 && template.maxWords == 200)
        #expect(template.followUps.count == 2)
        #expect(template.variables.contains("target_persona"))
        #expect(template.variables.contains("company_name"))
    }

    @Test func refusesUnknownVariablesListingThem() {
        let text =
            "---\nname: T\nstrategy: cold_email\nsubject: Hi {{first_name}}\n---\nHello {{favourite_colour}} and {{pet_name}} at {{company_name}}, {{favourite_colour}}"
        do {
            _ = try TemplateFile.parse(text, source: "t.md")
            Issue.record("unknown variables accepted")
        } catch {
            let unknownPart = error.message.components(separatedBy: "Known variables").first ?? ""
            #expect(unknownPart.hasSuffix("provides: favourite_colour, pet_name. "))
        }
    }

    @Test("the reproduction: a placeholder that is no variable name is refused, each one named, wherever it is")
    func refusesMalformedPlaceholders() {
        let text =
            "---\nname: T\nstrategy: cold_email\nsubject: Hi {{first_name}}\nfollow_ups:\n  - day: 3\n    body: \"Still {{ first-name }}?\"\n---\n"
            + "Hello {{company-name}} and {{ company name }}, {{company_name}} {{}} }} here"
        do {
            _ = try TemplateFile.parse(text, source: "t.md")
            Issue.record("malformed placeholders accepted")
        } catch {
            #expect(
                error.message.hasPrefix(
                    "t.md has placeholders that are not variable names, which would reach prospects as written: "
                        + "`{{company-name}}`, `{{ company name }}`, `{{}}`, `}}`, `{{ first-name }}`."), "\(error.message)")
        }
        #expect(TemplateText.malformed(in: "{{a}} {{b c}} }} {{d") == ["{{b c}}", "}}", "{{"])
        #expect(TemplateText.malformed(in: "{{ company_name }} and {{first_name}}").isEmpty, "spaces around a name are fine")
    }

    @Test(
        "refuses templates that cannot work",
        arguments: [
            "no front matter at all {{first_name}}",
            "---\nname: T\nstrategy: tweet\nsubject: s\n---\nbody",
            "---\nname: T\nsubject: s\nmin_words: 300\nmax_words: 100\n---\nbody",
            "---\nname: T\nsubject: s\n---\nHello {{first_name",
            "---\nname: T\nsubject: s\n---\n",
            "---\nname: [unclosed\nsubject: s\n---\nbody",
        ])
    func refusesBrokenTemplates(_ text: String) {
        #expect(throws: ImportError.self) { try TemplateFile.parse(text) }
    }

    @Test("clients and templates are stored and read back", arguments: DatabaseDialect.allCases)
    func storesClientsAndTemplates(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 0, generate: false)
            let client = try #require(try await ClientRepository(database: database).find(id: seed.clientID))
            #expect(client.pack.caseStudies.count == 4)
            #expect(client.timezone == "Europe/London")
            let again = try await ClientRepository(database: database).save(
                profile: try ContextPackFolder(path: Self.packPath).read().profile, pack: client.pack)
            #expect(again == seed.clientID, "saving the same client again updates it")
            let template = try #require(try await TemplateRepository(database: database).find(id: seed.templateID))
            #expect(template.template.followUps.count == 2)
        }
    }
}
