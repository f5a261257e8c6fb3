import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Testing
import GreenlightTestSupport

@Suite("Drafting from the context pack")
struct DraftingTests {
    static let pack = try! ContextPackFolder(path: TestDatabase.paths.demoData + "/pack").read().pack

    static func contact(_ id: Int, company: String, industry: String, title: String) -> ContactProfile {
        ContactProfile(
            id: id, firstName: "Ada", lastName: "Lovelace", email: "ada\(id)@x.example", companyName: company, website: "",
            linkedinURL: "", industry: industry, extra: ["job_title": title])
    }

    @Test func picksThePersonaNearestTheJobTitle() async throws {
        let filler = ContextPackFiller()
        let controller = filler.fill(
            ["target_persona"], for: Self.contact(1, company: "A", industry: "Retail", title: "Group Financial Controller"), pack: Self.pack)
        #expect(controller[0].value == "financial controller")
        #expect(controller[0].fallbackLevel == .contextPack)
        #expect(controller[0].confidence >= 3)
        #expect(controller[0].reasoning.contains("Group Financial Controller"))
        let ap = filler.fill(["target_persona"], for: Self.contact(2, company: "B", industry: "Retail", title: "AP Manager"), pack: Self.pack)
        #expect(ap[0].value == "accounts payable manager")
        let unknown = filler.fill(["target_persona"], for: Self.contact(3, company: "C", industry: "Retail", title: "Bursar"), pack: Self.pack)
        #expect(unknown[0].confidence <= 2, "a title that matches nothing is a guess")
    }

    @Test func variesCompetitorPainAndCaseStudyWithTheIndustry() async throws {
        let filler = ContextPackFiller()
        let names = ["competitor_name", "solve_specific_pain", "case_study_insight"]
        let logistics = filler.fill(names, for: Self.contact(1, company: "Haul Co", industry: "Logistics", title: "CFO"), pack: Self.pack)
        let healthcare = filler.fill(names, for: Self.contact(2, company: "Clinic Co", industry: "Healthcare", title: "CFO"), pack: Self.pack)
        #expect(logistics.map(\.value) != healthcare.map(\.value))
        #expect(logistics[2].reasoning.contains("same industry"))
        #expect(healthcare[2].value.lowercased().contains("clinic") || healthcare[2].reasoning.contains("Healthcare"))
        for variable in logistics + healthcare {
            #expect(!variable.value.isEmpty && variable.value != "N/A")
            #expect(variable.fallbackLevel >= .contextPack)
            #expect(!variable.reasoning.isEmpty)
        }
        let sameCompany = filler.fill(names, for: Self.contact(3, company: "Haul Co", industry: "Logistics", title: "AP Manager"), pack: Self.pack)
        #expect(sameCompany[0].value == logistics[0].value, "contacts at one company get the same competitor")
    }

    @Test func fillsEveryAgentVariableEvenFromAnEmptyPack() async throws {
        let empty = ContextPack(pci: "", personasMarkdown: "", painPointsMarkdown: "", competitors: [], caseStudies: [])
        let all = TemplateVariableCatalog.agentVariables
        let values = ContextPackFiller().fill(all, for: Self.contact(1, company: "A", industry: "", title: ""), pack: empty)
        #expect(values.map(\.name) == all)
        #expect(values.allSatisfy { !$0.value.isEmpty && $0.fallbackLevel == .genericDefault && $0.confidence == 1 })
    }

    @Test("a batch is drafted once per contact with every deduction stored", arguments: DatabaseDialect.allCases)
    func draftsABatch(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 12, generate: false)
            let first = try await DraftGenerator(database: database).generate(batchID: seed.batchID)
            #expect(first.drafted == 12)
            let again = try await DraftGenerator(database: database).generate(batchID: seed.batchID)
            #expect(again.drafted == 0, "running again drafts nothing twice")
            let page = try await ReviewQueue(database: database).page(QueueFilter())
            #expect(page.emails.count == 12)
            for email in page.emails {
                #expect(!email.body.contains("{{"))
                #expect(email.generationNote.contains("without a model"))
                let fallbacks = email.variables.filter { $0.fallbackLevel >= .contextPack }.count
                #expect(email.score.deductions.filter { $0.code == "fallback" }.count == fallbacks)
                #expect(email.qualityScore == max(0, 100 - email.score.deductions.reduce(0) { $0 + $1.points }))
                #expect(email.score.version == QualityScore.version)
            }
            #expect(Set(page.emails.map(\.body)).count > 6, "drafts vary per contact")
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contacts WHERE status = 'completed'") == 12)
        }
    }
}

@Suite("Quality score")
struct QualityScoreTests {
    let scorer = QualityScorer()

    func words(_ count: Int) -> String {
        Array(repeating: "word", count: count).joined(separator: " ")
    }

    @Test func aCleanDraftScoresFull() {
        let result = scorer.score(subject: "Hello", body: "Hi " + words(179), variables: [], minWords: 150, maxWords: 250)
        #expect(result.score == 100)
        #expect(result.deductions.isEmpty)
        #expect(result.wordCount == 180)
    }

    @Test func everyRuleDeductsAndIsKept() {
        let variables = [
            DraftVariable(name: "target_persona", value: "cfo", confidence: 2, fallbackLevel: .contextPack, reasoning: "r"),
            DraftVariable(name: "competitor_name", value: "X", confidence: 4, fallbackLevel: .genericDefault, reasoning: "r"),
            DraftVariable(name: "system_1", value: "y", confidence: 5, fallbackLevel: .companySite, reasoning: "r"),
        ]
        let body = "Our innovative, cutting-edge and world-class tool helps your VP Sales. {{system_2}}"
        let result = scorer.score(subject: "s", body: body, variables: variables, minWords: 150, maxWords: 250)
        let codes = result.deductions.map(\.code)
        #expect(codes.filter { $0 == "length" }.count == 1)
        #expect(codes.filter { $0 == "unfilled" }.count == 1)
        #expect(codes.filter { $0 == "fallback" }.count == 2)
        #expect(codes.filter { $0 == "title_case" }.count == 1)
        #expect(result.deductions.filter { $0.code == "jargon" }.reduce(0) { $0 + $1.points } == 20, "jargon is capped at 20")
        #expect(codes.filter { $0 == "low_confidence" }.count == 1)
        #expect(result.score == 0, "clamped at 0")
    }

    @Test func titlesAtTheStartOfASentenceAreFine() {
        #expect(QualityScorer.capitalisedTitle(in: "Head of sales teams love it. Director approval is quick.") == nil)
        #expect(QualityScorer.capitalisedTitle(in: "As a Head Of Finance you know") == "Head Of")
    }

    @Test func wordDiffShowsWhatChanged() {
        let diff = WordDiff.diff("Hi Ada, we help finance teams", "Hi Ada, we really help AP teams")
        #expect(diff.map(\.kind) == [.same, .added, .same, .removed, .added, .same])
        #expect(diff.first?.text == "Hi Ada, we")
        #expect(WordDiff.diff("same text", "same text").map(\.kind) == [.same])
        // Lines survive: the signature's line breaks are kept in the segments' text.
        let letter = WordDiff.diff("Hi Ada,\n\nWe help.\n\nBest regards,\nHannah", "Hi Ada,\n\nWe help.\n\nThanks,\nHannah\n\nP.S. Soon.")
        #expect(letter.map(\.kind) == [.same, .removed, .added, .same, .added], "\(letter)")
        #expect(letter.first?.text == "Hi Ada,\n\nWe help.\n\n" && letter[1].text == "Best regards," && letter[2].text == "Thanks,")
        #expect(letter[3].text == "\nHannah" && letter[4].text == "\n\nP.S. Soon.")
        #expect(WordDiff.diff("a  b\r\n\nc", "a b\n\nc").map(\.kind) == [.same], "spaces and a CR are not changes")
    }
}
