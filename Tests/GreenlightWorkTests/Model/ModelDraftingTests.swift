import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// Drafting a batch with the model's agents, on both databases, against a fake model and a website
/// on loopback: the site's text (home and customers page) reaches the prompts; variables come at
/// levels 1–2 with the model's reasoning, the prompt version and tokens on each email; an edit and a
/// rejection made in the queue are in the next batch's prompts; with the model down, drafts still
/// appear at levels 3–4 and say why.
@Suite("Drafting with the model", .timeLimit(.minutes(15)))
struct ModelDraftingTests {
    static func filler(model base: String, database: Database, retries: Int = 3) -> ModelFiller {
        let settings = ModelSettings(baseURL: base, apiKey: "k", smallModel: "small-1", largeModel: "large-1")
        let reader = WebsiteReader(
            fetcher: PageFetcher(addresses: PageFetcherTests.guardForTests, timeout: .seconds(30)), cache: WebsiteCache(database: database))
        return ModelFiller(
            settings: settings, client: ChatClient(settings: settings, maxRetries: retries, sleep: { _ in }), reader: reader,
            cache: AgentCache(database: database))
    }

    /// Imports `count` contacts whose website is the loopback site.
    static func batch(_ database: Database, seed: Seed, site: String, count: Int, prefix: String, company: String = "Quaylink") async throws -> Int {
        var lines = ["first_name,last_name,email,company_name,website,industry,job_title"]
        for index in 0..<count {
            lines.append("Léa\(index),Martin,\(prefix)\(index)@quaylink.example,\(company),\(site),Logistics,Head of Operations")
        }
        return try await ContactImporter(database: database).importCSV(
            .bytes(Array(lines.joined(separator: "\n").utf8)), fileName: "\(prefix).csv",
            clientID: seed.clientID, templateID: seed.templateID
        ).batchID
    }

    @Test(
        "a rejection for the competitor reaches the next contact at the same company: a cached answer made before the lesson is not served",
        arguments: DatabaseDialect.allCases)
    func lessonsReachCachedAnswers(_ dialect: DatabaseDialect) async throws {
        try await FakeWebsite.run { site, _ in
            try await FakeModel.run { fake, base in
                fake.set { $0.responder = { body in .object(AgentTeamTests.answers[FakeModel.schemaName(body)] ?? [:]) } }
                try await TestDatabase.with(dialect) { database in
                    let seed = try await Seed.make(database, contacts: 0)
                    func draft(_ prefix: String) async throws -> [Int] {
                        let before = fake.requests.count
                        let batch = try await Self.batch(database, seed: seed, site: site, count: 1, prefix: prefix)
                        #expect(
                            try await DraftGenerator(database: database, filler: Self.filler(model: base, database: database)).generate(
                                batchID: batch
                            ).drafted == 1)
                        return Array(before..<fake.requests.count).filter { FakeModel.schemaName(fake.requests[$0]) == "competitor_output" }
                    }
                    #expect(try await draft("first").count == 1, "the first contact of the company asks the competitor agent")
                    #expect(try await draft("second").isEmpty, "no new lesson: the next contact takes the company's answer from the cache")
                    let email = try #require(try await ReviewQueue(database: database).page(QueueFilter(), limit: 5).emails.first)
                    _ = try await ReviewDecider(database: database).decide(
                        .reject(reason: .incorrectCompetitor, details: "they use Sage, not Xero"),
                        emailID: email.id, by: Reviewer(id: nil, name: "Sam"))
                    let asked = try await draft("third")
                    #expect(asked.count == 1, "the lesson is new: the competitor agent is asked again")
                    let system = asked.first.flatMap { fake.messages($0).first } ?? ""
                    #expect(system.contains("- incorrect competitor (1×): \"they use Sage, not Xero\""), "with the lesson: \(system.suffix(300))")
                    #expect(try await draft("fourth").isEmpty, "the answer made with the lesson is kept for the company")
                }
            }
        }
    }

    @Test(
        "levels 1–2 from the model and the site; the queue's lessons in the next batch; levels 3–4 with the reason when the model is down",
        arguments: DatabaseDialect.allCases)
    func drafts(_ dialect: DatabaseDialect) async throws {
        try await FakeWebsite.run { site, _ in
            try await FakeModel.run { fake, base in
                fake.set { $0.responder = { body in .object(AgentTeamTests.answers[FakeModel.schemaName(body)] ?? [:]) } }
                try await TestDatabase.with(dialect) { database in
                    let seed = try await Seed.make(database, contacts: 0)
                    let first = try await Self.batch(database, seed: seed, site: site, count: 2, prefix: "first")
                    let summary = try await DraftGenerator(database: database, filler: Self.filler(model: base, database: database)).generate(
                        batchID: first)
                    #expect(summary.drafted == 2 && summary.failed == 0)
                    // Competitor, pain point and case study hold for the company: the second contact takes them from the cache.
                    #expect(summary.cacheLookups == 6 && summary.cacheHits == 3 && summary.cacheHitRate == 0.5, "\(summary)")
                    let perAgent = Dictionary(grouping: fake.requests.map(FakeModel.schemaName), by: { $0 }).mapValues(\.count)
                    #expect(perAgent == ["persona_output": 2, "competitor_output": 1, "pain_point_output": 1, "case_study_output": 1], "\(perAgent)")
                    let sites = try await database.read { sql in try await sql.raw("SELECT domain, text FROM website_cache").all() }
                    let siteText = try sites.first?.decode(column: "text", as: String?.self) ?? nil
                    #expect(sites.count == 1 && siteText?.contains("70 transitaires") == true, "one site, read once")
                    let email = try #require(try await ReviewQueue(database: database).page(QueueFilter(), limit: 5).emails.first)
                    let persona = try #require(email.variables.first { $0.name == "target_persona" })
                    #expect(
                        persona.value == "head of support" && persona.fallbackLevel == .companySite
                            && persona.reasoning == "the site says their support team doubled")
                    let row = try #require(
                        try await database.read { sql in
                            try await sql.raw(
                                "SELECT model, prompt_version, tokens, generation_note FROM generated_emails WHERE id = \(bind: email.id)"
                            ).first()
                        })
                    #expect(
                        try row.decode(column: "model", as: String.self) == "small-1 + large-1"
                            && row.decode(column: "prompt_version", as: String.self) == AgentPrompt.version)
                    #expect(
                        try row.decode(column: "tokens", as: Int.self) > 0
                            && row.decode(column: "generation_note", as: String.self).hasPrefix("Drafted by the agents on small-1 + large-1"))
                    let personaRequest = try #require(fake.requests.indices.first { FakeModel.schemaName(fake.requests[$0]) == "persona_output" })
                    let user = fake.messages(personaRequest).last ?? ""
                    #expect(
                        user.contains("70 transitaires nous font confiance.") && user.contains("Portaxe traite 40 % de dossiers en plus.")
                            && !user.contains("track()"),
                        "home and customers page, without script: \(user)")

                    // A reviewer edits one and rejects the other: the next batch's prompts carry both.
                    let drafted = try await ReviewQueue(database: database).page(QueueFilter(), limit: 5).emails
                    let sam = Reviewer(id: nil, name: "Sam")
                    _ = try await ReviewDecider(database: database).decide(
                        .edit(body: drafted[0].body + " Bien à vous, Sam."), emailID: drafted[0].id, by: sam)
                    _ = try await ReviewDecider(database: database).decide(
                        .reject(reason: .wrongPersona, details: "she runs operations, not support"), emailID: drafted[1].id, by: sam)
                    let before = fake.requests.count
                    let second = try await Self.batch(database, seed: seed, site: site, count: 1, prefix: "second")
                    _ = try await DraftGenerator(database: database, filler: Self.filler(model: base, database: database)).generate(batchID: second)
                    #expect(fake.requests.count > before, "the next batch asked the model")
                    for index in before..<fake.requests.count {
                        let system = fake.messages(index).first ?? ""
                        #expect(
                            system.contains("Bien à vous, Sam.") && system.contains("- wrong persona (1×): \"she runs operations, not support\""),
                            "request \(index)")
                    }

                    // The model goes down: drafts still come, from the context pack, and say why.
                    fake.set {
                        $0.responder = nil; $0.otherwise = .status(503)
                    }
                    let third = try await Self.batch(database, seed: seed, site: "", count: 1, prefix: "third", company: "Otherco")
                    #expect(
                        try await DraftGenerator(database: database, filler: Self.filler(model: base, database: database, retries: 0)).generate(
                            batchID: third
                        ).drafted == 1)
                    let fallback = try #require(
                        try await database.read { sql in
                            try await sql.raw(
                                "SELECT variables_json, generation_note FROM generated_emails e JOIN contacts c ON c.id = e.contact_id WHERE c.email = 'third0@quaylink.example'"
                            ).first()
                        })
                    let variables = try JSONText.decode([DraftVariable].self, from: try fallback.decode(column: "variables_json", as: String.self))
                    let agentVariables = variables.filter { TemplateVariableCatalog.agentVariables.contains($0.name) }
                    #expect(
                        !agentVariables.isEmpty
                            && agentVariables.allSatisfy { $0.fallbackLevel >= .contextPack && $0.reasoning.contains("the model is not answering") })
                    let note = try fallback.decode(column: "generation_note", as: String.self)
                    #expect(
                        note.contains("Some agents fell back to the context pack — ") && note.contains("persona: the model is not answering"),
                        "\(note)")
                }
            }
        }
    }
}
