import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Testing
import GreenlightTestSupport

/// The grounding check on its own: numbers and proper names in model-written variables must appear
/// in the contact, the site's text or the context pack; a variable said to come from the site must
/// share words with it; context-pack values are not checked.
@Suite("Grounding check")
struct GroundingCheckTests {
    static let pack = ContextPack(
        pci: "Mid-size logistics firms in France.", personasMarkdown: "## Head of operations\nRuns the depots.",
        painPointsMarkdown: "1. **Missed calls** — peaks at 9 am lose 1,200 calls a month.",
        competitors: [.init(name: "Ringover", positioning: "cheap seats")],
        caseStudies: [.init(fileName: "a.md", title: "Quaylink", body: "Quaylink answered 30% more calls.")])
    static let contact = ContactProfile(
        id: 1, firstName: "Léa", lastName: "Martin", email: "lea@deltaship.example", companyName: "Deltaship",
        website: "https://deltaship.example", linkedinURL: "", industry: "Logistics", extra: ["city": "Lyon"])

    static func variable(_ name: String, _ value: String, _ level: DraftVariable.FallbackLevel = .industryInference) -> DraftVariable {
        DraftVariable(name: name, value: value, confidence: 3, fallbackLevel: level, reasoning: "test")
    }

    @Test("numbers and names the sources lack are flagged, with the words as written; those they hold pass")
    func numbersAndNames() {
        let check = GroundingCheck(
            contact: Self.contact, websiteText: "Deltaship delivers parcels across Lyon. Our support team doubled in 2025.", pack: Self.pack)
        let flags = check.check([
            Self.variable("case_study_insight", "Verdeshop answered 40% more calls."),
            Self.variable("solve_specific_pain", "losing 1200 calls a month at 9 am peaks"),
            Self.variable("competitor_name", "Ringover"),
            Self.variable("specific_target_1", "Quaylink’s 30% gain for Lyon depots"),
            Self.variable("system_1", "Their Zendesk queues"),
        ])
        #expect(
            flags == [
                GroundingFlag(
                    variable: "case_study_insight", words: ["40%", "Verdeshop"],
                    reason: "a number not in the contact, its site or the context pack; a name not in the contact, its site or the context pack"),
                GroundingFlag(variable: "system_1", words: ["Zendesk"], reason: "a name not in the contact, its site or the context pack"),
            ], "1,200 is 1200; Quaylink, Lyon and Ringover are in the pack, the contact or the site; a sentence's common first word is no name")
    }

    @Test("a variable said to come from the site must share words with the site's text; none read flags it")
    func siteClaims() {
        let persona = Self.variable("target_persona", "head of customer support", .companySite)
        let withSite = GroundingCheck(contact: Self.contact, websiteText: "Our support team doubled in a year.", pack: Self.pack)
        #expect(withSite.check([persona]).isEmpty, "support is on the site")
        let elsewhere = GroundingCheck(contact: Self.contact, websiteText: "We ship pallets overnight.", pack: Self.pack)
        #expect(elsewhere.check([persona]).first?.reason == "said to come from the prospect's site, which says nothing of it")
        let unread = GroundingCheck(contact: Self.contact, websiteText: nil, pack: Self.pack)
        #expect(unread.check([persona]).first?.reason == "said to come from the prospect's site, but no site text was read")
    }

    @Test("context-pack values and the contact's own fields are not checked")
    func notChecked() {
        let check = GroundingCheck(contact: Self.contact, websiteText: nil, pack: Self.pack)
        #expect(
            check.check([
                Self.variable("case_study_insight", "Verdeshop answered 40% more calls.", .contextPack),
                Self.variable("first_name", "Zoé", .companySite),
            ]).isEmpty)
    }

    @Test("the card cuts the text around every occurrence of a flagged word, longest first")
    func segments() {
        let parts = CardText.pieces(of: "Verdeshop grew 40%. Ask Verdeshop Labs.", variables: [], flagged: ["Verdeshop", "Verdeshop Labs", "40%"])
        #expect(parts.map(\.text) == ["Verdeshop", " grew ", "40%", ". Ask ", "Verdeshop Labs", "."])
        #expect(parts.map(\.flagged) == [true, false, true, false, true, false])
    }
}
