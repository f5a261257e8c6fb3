import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Testing
import GreenlightTestSupport

/// What a card writes of an email: its variables marked in the text, and after an edit only what changed.
@Suite("Card text")
struct CardTextTests {
    @Test("each variable's value is marked where it stands, with its name and confidence; flagged words inside are cut at its edges")
    func marks() {
        let text = "Hi Ada,\n\nMost AP teams lose a day to invoice chasing. Verdeshop cut it to an hour.\n\nHannah"
        let pieces = CardText.pieces(
            of: text,
            variables: [
                (name: "pain_point", value: "lose a day to invoice chasing", confidence: 2),
                (name: "case_study_insight", value: "Verdeshop cut it to an hour", confidence: 4),
                (name: "tiny", value: "AP", confidence: 5),
            ], flagged: ["Verdeshop"])
        #expect(pieces.map(\.text).joined() == text, "nothing lost or doubled")
        let opened = pieces.compactMap { $0.opens.map { "\($0.name):\($0.confidence)" } }
        let closed = pieces.compactMap { $0.closes.map { "\($0.name):\($0.confidence)" } }
        #expect(opened == ["pain_point:low", "case_study_insight:high"], "a value under 3 characters is not marked")
        #expect(closed == opened)
        let flagged = pieces.filter(\.flagged)
        #expect(flagged.map(\.text) == ["Verdeshop"])
        #expect(flagged.first?.opens?.name == "case_study_insight", "the flagged word opens the variable it starts")
        #expect(CardText.confidenceWord(3) == "medium")
    }

    @Test("a compact diff keeps each change with a few words around it, not the whole email")
    func compactDiff() {
        let old = (1...40).map { "w\($0)" }.joined(separator: " ")
        let new = old.replacingOccurrences(of: "w20 ", with: "twenty ")
        let compact = WordDiff.compact(WordDiff.diff(old, new), context: 3)
        #expect(compact.map(\.kind) == [.same, .removed, .added, .same])
        #expect(compact[0].text == "… w17 w18 w19")
        #expect(compact[3].text == "w21 w22 w23 …")
        let unchanged = WordDiff.diff(old, old)
        #expect(WordDiff.compact(unchanged) == unchanged, "no change: the text as it is")
        let short = WordDiff.diff("a b c", "a x c")
        #expect(WordDiff.compact(short) == short, "short stretches stay whole")
    }
}
