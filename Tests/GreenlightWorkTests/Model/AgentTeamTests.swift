import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Testing
import GreenlightTestSupport

/// The agents against a fake model: only the agents a template needs run, the independent ones
/// first, then signal with the persona, then system with persona, signal and pain point; values come
/// at levels 1–2 with the model's reasoning; an agent whose answers stay invalid, or a model that is
/// down, gives the context pack's values at levels 3–4 with the reason; lessons are in every prompt.
@Suite("Agent team", .timeLimit(.minutes(15)))
struct AgentTeamTests {
    nonisolated(unsafe) static let answers: [String: [String: Any]] = [
        "persona_output": [
            "target_persona": "head of support", "product_category": "call routing software", "source": "site",
            "reasoning": "the site says their support team doubled", "confidence": 4,
        ],
        "competitor_output": ["competitor_name": "Aircall", "source": "industry", "reasoning": "common in retail support", "confidence": 3],
        "pain_point_output": [
            "solve_specific_pain": "missed calls at peak hours", "source": "industry", "reasoning": "retail peaks", "confidence": 3,
        ],
        "case_study_output": [
            "case_study_insight": "Verdeshop answered 40% more calls.", "source": "industry", "reasoning": "same industry", "confidence": 4,
        ],
        "signal_output": [
            "specific_target_1": "retailers with support teams over 20 people", "specific_target_2": "french grocers hiring support leads",
            "source": "industry", "reasoning": "from the persona", "confidence": 3,
        ],
        "system_output": [
            "system_1": "zendesk queues", "system_2": "shopify order lookups", "system_3": "weekend on-call rota",
            "source": "industry", "reasoning": "from persona, signals and pain", "confidence": 3,
        ],
    ]

    static func input(website: String? = "Deltaship: last-mile delivery. Our support team doubled in a year.", lessons: ClientLessons = .none) throws
        -> AgentPrompt.Input
    {
        let folder = try ContextPackFolder(path: TestDatabase.paths.demoData + "/pack").read()
        let contact = ContactProfile(
            id: 1, firstName: "Marie", lastName: "Petit", email: "marie@deltaship.example", companyName: "Deltaship",
            website: "https://deltaship.example", linkedinURL: "", industry: "Retail", extra: ["job_title": "Head of Customer Support"])
        return AgentPrompt.Input(clientName: "Northwind Ledger", contact: contact, pack: folder.pack, websiteText: website, lessons: lessons)
    }

    static func team(_ base: String, retries: Int = 3) -> AgentTeam {
        let settings = ModelSettings(baseURL: base, apiKey: "k", smallModel: "small-1", largeModel: "large-1")
        return AgentTeam(client: ChatClient(settings: settings, maxRetries: retries, sleep: { _ in }), settings: settings)
    }

    @Test("only the agents needed, in dependency order, each given what it depends on; values at levels 1–2 with the reasoning")
    func order() async throws {
        try await FakeModel.run { fake, base in
            fake.set { $0.responder = { body in .object(Self.answers[FakeModel.schemaName(body)] ?? [:]) } }
            let lessons = ClientLessons(
                corrections: [.init(before: "…our innovative platform…", after: "…our tool…")],
                mistakes: [.init(reason: "tone_too_corporate", count: 3, details: ["too many buzzwords"])])
            let result = await Self.team(base).fill(
                ["target_persona", "competitor_name", "specific_target_1", "system_2"], input: try Self.input(lessons: lessons))
            #expect(result.variables.map(\.name) == ["target_persona", "competitor_name", "specific_target_1", "system_2"])
            #expect(
                result.variables.map(\.value) == [
                    "head of support", "Aircall", "retailers with support teams over 20 people", "shopify order lookups",
                ])
            #expect(result.variables.map(\.fallbackLevel) == [.companySite, .industryInference, .industryInference, .industryInference])
            #expect(result.variables[0].reasoning == "the site says their support team doubled" && result.variables[0].confidence == 4)
            #expect(result.problems.isEmpty && result.calls == 5 && fake.problems.isEmpty, "\(result.problems) \(fake.problems)")

            let names = fake.requests.map(FakeModel.schemaName)
            #expect(
                Set(names) == ["persona_output", "competitor_output", "pain_point_output", "signal_output", "system_output"],
                "no case study: nothing needs it")
            let signal = try #require(names.firstIndex(of: "signal_output")), system = try #require(names.firstIndex(of: "system_output"))
            #expect(signal > names.firstIndex(of: "persona_output")! && system > signal && system > names.firstIndex(of: "pain_point_output")!)
            #expect(fake.messages(signal).last?.contains("- target_persona: head of support") == true)
            #expect(
                fake.messages(system).last.map {
                    $0.contains("- specific_target_1: retailers with support") && $0.contains("- solve_specific_pain: missed calls")
                } == true)
            #expect(fake.requests[signal]["model"] as? String == "large-1" && fake.requests[0]["model"] as? String == "small-1")
            #expect(fake.requests.count == 5)
            for index in fake.requests.indices {
                let system = fake.messages(index).first ?? ""
                #expect(
                    system.contains("\"…our innovative platform…\" → \"…our tool…\"")
                        && system.contains("- tone too corporate (3×): \"too many buzzwords\""),
                    "every prompt carries the lessons")
                #expect(system.contains("## Ideal customer profile") && fake.messages(index).last?.contains("Our support team doubled") == true)
            }
        }
    }

    @Test(
        "an agent whose answers stay invalid falls back, with the reason, and the agents after it use the fallback; a model that is down gives levels 3–4"
    )
    func fallbacks() async throws {
        try await FakeModel.run { fake, base in
            fake.set {
                $0.responder = { body in
                    let name = FakeModel.schemaName(body)
                    if name == "persona_output" {
                        return .object(["target_persona": "N/A", "product_category": "x", "source": "site", "reasoning": "r", "confidence": 3])
                    }
                    return .object(Self.answers[name] ?? [:])
                }
            }
            let result = await Self.team(base).fill(["target_persona", "specific_target_1"], input: try Self.input())
            let persona = try #require(result.variables.first)
            #expect(
                persona.fallbackLevel >= .contextPack
                    && persona.reasoning.hasPrefix("the model gave no usable answer (\"target_persona\" is \"N/A\""), "\(persona)")
            #expect(result.problems.count == 1 && result.problems[0].hasPrefix("persona:") && result.calls == 3 + 1)
            let signalIndex = try #require(fake.requests.map(FakeModel.schemaName).firstIndex(of: "signal_output"))
            #expect(
                fake.messages(signalIndex).last?.contains("- target_persona: \(persona.value)") == true,
                "the signal agent works from the fallback persona")

            fake.set {
                $0.responder = nil; $0.otherwise = .status(503)
            }
            let down = await Self.team(base, retries: 0).fill(["target_persona", "competitor_name", "system_1"], input: try Self.input(website: nil))
            #expect(
                down.variables.count == 3
                    && down.variables.allSatisfy { $0.fallbackLevel >= .contextPack && $0.reasoning.contains("the model is not answering") },
                "\(down.variables)")
        }
    }

    @Test("contacts of one company drafted at once ask each company-level agent once; the others share its answer as cache hits")
    func sharedWhileAsking() async throws {
        try await FakeModel.run { fake, base in
            fake.set {
                $0.latency = .milliseconds(300)
                $0.responder = { body in .object(Self.answers[FakeModel.schemaName(body)] ?? [:]) }
            }
            try await TestDatabase.with(.sqlite) { database in
                let seed = try await Seed.make(database, contacts: 0)
                let slot = AgentTeam.CacheSlot(cache: AgentCache(database: database), company: "deltaship.example", templateID: seed.templateID)
                let team = Self.team(base)
                let input = try Self.input()
                let names = ["target_persona", "competitor_name", "solve_specific_pain", "case_study_insight"]
                let results = await withTaskGroup(of: AgentTeam.Result.self) { group in
                    for _ in 0..<3 { group.addTask { await team.fill(names, input: input, cache: slot) } }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                let asked = fake.requests.map(FakeModel.schemaName).sorted()
                #expect(
                    asked == ["case_study_output", "competitor_output", "pain_point_output", "persona_output", "persona_output", "persona_output"],
                    "\(asked)")
                #expect(results.map(\.cacheHits).reduce(0, +) == 6 && results.map(\.cacheLookups).reduce(0, +) == 9)
                #expect(results.allSatisfy { $0.variables.map(\.value) == results[0].variables.map(\.value) })
                #expect(results.map(\.calls).reduce(0, +) == 6, "only the asking contact counts the calls")
            }
        }
    }
}
