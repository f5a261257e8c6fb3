import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// Pins the quality score's point values: every expected score below is written out by hand from the rules
/// (100, −20 length, −30 unfilled, −10 fallback ≥ 3, −15 title case, −10 jargon capped at −20,
/// −5 low confidence, −30 a leftover `{{…}}`, −20 a sentence cut short, −10 an acronym in lower
/// case, −10 a sentence or list item starting in lower case, clamped to 0–100), never computed
/// from the scorer's own deductions.
@Suite("Quality score: the point values")
struct QualityScoreSpecTests {
    let scorer = QualityScorer()

    /// `count` copies of a word that triggers no rule, the first capitalised as a sentence's start.
    func filler(_ count: Int) -> String {
        guard count > 0 else { return "" }
        return (["Word"] + Array(repeating: "word", count: count - 1)).joined(separator: " ")
    }

    func score(subject: String = "A short note", body: String, variables: [DraftVariable] = [], minWords: Int = 150, maxWords: Int = 250)
        -> QualityScore
    {
        scorer.score(subject: subject, body: body, variables: variables, minWords: minWords, maxWords: maxWords)
    }

    func variable(_ name: String, confidence: Int = 5, level: DraftVariable.FallbackLevel = .companySite) -> DraftVariable {
        DraftVariable(name: name, value: "value", confidence: confidence, fallbackLevel: level, reasoning: "test")
    }

    @Test("a clean draft scores 100, and the formula's version is qs-3")
    func clean() {
        let result = score(body: filler(200))
        #expect(result.score == 100)
        #expect(result.deductions.isEmpty)
        #expect(result.wordCount == 200)
        #expect(result.version == "qs-3")
    }

    @Test("a {{…}} that is no variable, left in the subject or body, loses 30 once each and blocks auto-approval")
    func leftoverPlaceholder() {
        let result = score(subject: "Hi {{ company name }}", body: filler(195) + " {{company-name}} and }} and {{company-name}}")
        #expect(result.score == 10, "three distinct leftovers: −90")
        #expect(result.deductions.map(\.code) == ["placeholder", "placeholder", "placeholder"])
        #expect(
            result.deductions.first?.detail == "{{ company name }} is left in the text: it is not a variable and would reach the prospect as written")
        #expect(RolloutGate.autoBlock(for: result)?.contains("a {{…}} that is no variable is left in the text") == true)
        #expect(RolloutGate.autoBlock(for: score(body: filler(200))) == nil)
    }

    @Test("a body outside 150–250 words loses 20; the bounds themselves are inside")
    func defaultLength() {
        #expect(score(body: filler(149)).score == 80)
        #expect(score(body: filler(150)).score == 100)
        #expect(score(body: filler(250)).score == 100)
        #expect(score(body: filler(251)).score == 80)
        #expect(score(body: "").score == 80)
        #expect(score(body: filler(600)).score == 80, "once, however far outside")
    }

    @Test("a template's own word range replaces 150–250")
    func templateLength() {
        #expect(score(body: filler(60), minWords: 50, maxWords: 80).score == 100)
        #expect(score(body: filler(60)).score == 80, "60 words is short by the default range")
        #expect(score(body: filler(49), minWords: 50, maxWords: 80).score == 80)
        #expect(score(body: filler(81), minWords: 50, maxWords: 80).score == 80)
        #expect(score(body: filler(200), minWords: 50, maxWords: 80).score == 80, "fine by default, too long for this template")
    }

    @Test("each unfilled {{variable}} loses 30, in the body or the subject")
    func unfilled() {
        #expect(score(body: filler(180) + " {{first_name}}").score == 70)
        #expect(score(subject: "About {{company_name}}", body: filler(180)).score == 70)
        #expect(score(body: filler(180) + " {{first_name}} {{competitor_name}}").score == 40)
        #expect(score(body: filler(180) + " {{first_name}} and again {{first_name}}").score == 70, "one variable counts once")
        #expect(score(body: filler(180) + " {{ first_name }}").score == 70, "spaces inside the braces are still a placeholder")
    }

    @Test("each variable at fallback level 3 or 4 loses 10; levels 1 and 2 cost nothing")
    func fallback() {
        #expect(score(body: filler(180), variables: [variable("a", level: .companySite), variable("b", level: .industryInference)]).score == 100)
        #expect(score(body: filler(180), variables: [variable("a", level: .contextPack)]).score == 90)
        #expect(score(body: filler(180), variables: [variable("a", level: .genericDefault)]).score == 90)
        #expect(
            score(
                body: filler(180),
                variables: [variable("a", level: .contextPack), variable("b", level: .genericDefault), variable("c", level: .industryInference)]
            ).score == 80)
    }

    @Test("a title capitalised mid-sentence loses 15; at a sentence start or in lower case it is fine")
    func titleCase() {
        #expect(score(body: filler(180) + " we help your VP Sales close").score == 85)
        #expect(score(body: "As a Head Of Finance you know " + filler(180)).score == 85)
        #expect(score(body: filler(180) + " the Director signs off").score == 85)
        #expect(score(body: filler(180) + " we help your vp sales close").score == 100)
        #expect(score(body: "Head of sales teams love it. Director approval is quick. " + filler(180)).score == 100)
        #expect(score(body: filler(180) + " question: Manager approval first").score == 100, "after a colon is a new sentence")
        // The rule deducts once per email, however many titles are capitalised.
        #expect(score(body: filler(180) + " your VP Sales and your Head Of Finance").score == 85)
    }

    @Test("banned jargon loses 10 a word, at most 20 in all, matched whole and case-insensitively")
    func jargon() {
        #expect(score(body: filler(180) + " a seamless flow").score == 90)
        #expect(score(body: filler(180) + " a Seamless flow").score == 90)
        #expect(score(body: filler(180) + " a cutting-edge tool").score == 90, "hyphenated words count whole")
        #expect(score(subject: "Synergy for you", body: filler(180)).score == 90, "the subject counts too")
        #expect(score(body: filler(180) + " a seamless and robust flow").score == 80)
        #expect(score(body: filler(180) + " a seamless robust holistic innovative flow").score == 80, "capped at −20")
        #expect(score(body: filler(180) + " leadership and robustness").score == 100, "a longer word containing jargon is not jargon")
        #expect(score(body: filler(180) + " une solution innovante").score == 90, "the French words are banned too")
        let capped = score(body: filler(180) + " seamless robust holistic")
        #expect(capped.deductions.filter { $0.code == "jargon" }.map(\.points) == [10, 10, 0])
    }

    @Test("each variable with confidence 2 or below loses 5")
    func lowConfidence() {
        #expect(score(body: filler(180), variables: [variable("a", confidence: 3)]).score == 100)
        #expect(score(body: filler(180), variables: [variable("a", confidence: 2)]).score == 95)
        #expect(score(body: filler(180), variables: [variable("a", confidence: 1)]).score == 95)
        #expect(score(body: filler(180), variables: [variable("a", confidence: 0)]).score == 95, "confidence is clamped to 1")
        #expect(
            score(body: filler(180), variables: [variable("a", confidence: 1), variable("b", confidence: 2), variable("c", confidence: 4)]).score
                == 90)
        #expect(
            score(body: filler(180), variables: [variable("a", confidence: 2, level: .contextPack)]).score == 85, "fallback and confidence both count"
        )
    }

    @Test("deductions add up: worked examples")
    func combined() {
        // −20 length, −15 title, −10 jargon
        #expect(score(body: filler(100) + " your VP Sales wants a seamless close").score == 55)
        // −30 unfilled, −10 fallback, −5 low confidence
        #expect(score(body: filler(180) + " {{trigger}}", variables: [variable("a", confidence: 2, level: .genericDefault)]).score == 55)
        // −20 length, −30 unfilled, −20 jargon (three words, capped), −15 title
        #expect(score(body: "Our seamless robust holistic tool for the Head Of Ops. {{pain}}").score == 15)
    }

    @Test(
        "a sentence cut short loses 20, once: a decimal cut at its point, a sentence ending on a dangling word, a range opened with from and never closed"
    )
    func cutShort() {
        let decimal = score(body: filler(180) + ". Cost per invoice fell from £9. 40 to £2.10.")
        #expect(decimal.score == 80 && decimal.deductions.map(\.code) == ["cut_short"], "\(decimal.deductions)")
        #expect(decimal.deductions.first?.detail == "a sentence is cut short: \"9. 40\" breaks a number at its decimal point")
        let open = score(body: filler(180) + ". Cost per invoice fell from £9.")
        #expect(
            open.score == 80 && open.deductions.first?.detail == "a sentence is cut short: \"…fell from £9.\" opens a range it never closes",
            "\(open.deductions)")
        let dangling = score(body: filler(180) + ". We help teams like the.")
        #expect(
            dangling.score == 80 && dangling.deductions.first?.detail == "a sentence is cut short: \"…teams like the.\" ends on \"the\"",
            "\(dangling.deductions)")
        #expect(score(body: filler(180) + ". Cost per invoice fell from £9.40 to £2.10.").score == 100)
        #expect(score(body: filler(180) + ". Approval time went from 19 days to 3.").score == 100, "a sentence may end on a number")
        #expect(score(body: filler(180) + ". Discounts worth £186,000 a year. Prices from £5 a month.").score == 100)
        #expect(score(body: filler(180) + ". It fell from £9. And the close went to.").score == 80, "once per email")
    }

    @Test("an acronym written in lower case loses 10, once; the pack's own spellings count as acronyms")
    func acronymCase() {
        let coo = score(body: "Hi Ana,\n\nThe coo is usually the first to feel it. " + filler(180))
        #expect(coo.score == 90 && coo.deductions.first?.detail == "acronym in lower case: \"coo\" (COO)", "\(coo.deductions)")
        #expect(score(body: "Hi Ana,\n\nThe COO is usually the first to feel it. " + filler(180)).score == 100)
        #expect(score(body: filler(180) + " for saas teams").score == 90)
        #expect(score(body: filler(180) + " the cfo and the coo").score == 90, "once per email")
        #expect(score(body: filler(180) + " an ap team").score == 90)
        #expect(score(body: filler(180) + " apps and coordinated teams, it and us").score == 100, "whole words only; common words are no acronyms")
        #expect(score(body: filler(180) + " for your vp sales").score == 100, "titles stay lower case mid-sentence (the title rule)")
        let pack = AcronymCasing(text: "Two-way sync with NetSuite and Sage; the AP team.")
        #expect(
            scorer.score(subject: "A note", body: filler(180) + " with netsuite", variables: [], minWords: 150, maxWords: 250, casing: pack).score
                == 90)
        #expect(score(body: filler(180) + " with netsuite").score == 100, "a brand is the pack's to name")
    }

    @Test("a sentence or list item starting in lower case loses 10, once")
    func sentenceStart() {
        let start = score(body: filler(180) + ". the team signs off.")
        #expect(
            start.score == 90 && start.deductions.first?.detail == "a sentence starts in lower case: \"the team signs off.\"", "\(start.deductions)")
        #expect(score(body: "Hi Ana,\n\n- invoices keyed by hand\n- Approvals stuck\n\n" + filler(180)).score == 90)
        #expect(score(body: "hi Ana,\n\n" + filler(180)).score == 90, "a line is a start")
        #expect(score(body: filler(180) + ". the team. and more. then some.").score == 90, "once per email")
        #expect(
            score(body: filler(180) + ". iPhone approvals win. eBay sellers too.").score == 100,
            "a word cased inside is written as its owner writes it")
        #expect(score(body: filler(180) + " first to feel it: invoices keyed by hand.").score == 100, "after a colon a clause goes on")
        #expect(score(body: filler(180) + "\n\nhannah@northwind.example\nwww.northwind.example").score == 100, "addresses are not sentences")
    }

    @Test("the score is clamped at 0 and never rises above 100")
    func clamp() {
        let worst = score(
            subject: "{{first_name}}: synergy",
            body: "We leverage seamless tools for your VP Sales. {{company_name}} {{trigger}}",
            variables: (1...6).map { variable("v\($0)", confidence: 1, level: .genericDefault) }
        )
        // −20 − 90 (three unfilled) − 60 (six fallbacks) − 15 − 20 − 30 (six low confidences) = −235
        #expect(worst.score == 0)
        #expect(worst.deductions.reduce(0) { $0 + $1.points } == 235, "every deduction is kept, even past zero")
        #expect(score(body: filler(150)).score == 100)
    }

    @Test("the score and its version are stored with each draft", arguments: DatabaseDialect.allCases)
    func versionStored(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            _ = try await Seed.make(database, contacts: 3)
            let rows = try await database.read { sql in
                try await sql.raw("SELECT quality_score, score_version, metrics_json FROM generated_emails").all()
            }
            #expect(rows.count == 3)
            for row in rows {
                #expect(try row.decode(column: "score_version", as: String.self) == "qs-3")
                let metrics = try JSONDecoder().decode(QualityScore.self, from: Data(try row.decode(column: "metrics_json", as: String.self).utf8))
                #expect(metrics.version == "qs-3")
                #expect(metrics.score == (try row.decode(column: "quality_score", as: Int.self)))
            }
        }
    }
}
