import Foundation
import GreenlightEmails

/// Scores a filled draft against the score's rules (``QualityScore``) and keeps every deduction.
public struct QualityScorer: Sendable {
    /// Words the client's writers ban (English and French), matched whole and case-insensitively.
    public static let jargon: [String] = [
        "innovant", "innovante", "leader", "disruptif", "disruptive", "innovative", "cutting-edge", "world-class",
        "best-in-class", "game-changing", "game-changer", "revolutionary", "synergy", "synergies", "next-generation",
        "state-of-the-art", "paradigm", "seamless", "seamlessly", "leverage", "holistic", "robust", "incontournable",
    ]

    /// Title words that should be lower case mid-sentence ("vp sales", not "VP Sales").
    static let titleWords: Set<String> = [
        "VP", "Vp", "SVP", "EVP", "Head", "Director", "Directeur", "Directrice", "Manager", "Chief", "Officer",
        "President", "Vice", "Responsable", "Controller", "Lead",
    ]

    public init() {}

    /// - Parameter casing: the acronyms to find written in lower case (the client pack's, with the standard ones).
    public func score(subject: String, body: String, variables: [DraftVariable], minWords: Int, maxWords: Int, casing: AcronymCasing = .standard)
        -> QualityScore
    {
        var deductions: [QualityScore.Deduction] = []
        let words = body.split(whereSeparator: \.isWhitespace)
        if words.count < minWords || words.count > maxWords {
            deductions.append(.init(code: "length", points: 20, detail: "body has \(words.count) words, outside \(minWords)–\(maxWords)"))
        }
        var unfilled: [String] = []
        for name in TemplateText.variableNames(in: subject + "\n" + body) where !unfilled.contains(name) {
            unfilled.append(name)
        }
        for name in unfilled {
            deductions.append(.init(code: "unfilled", points: 30, detail: "{{\(name)}} was left unfilled"))
        }
        var malformed: [String] = []
        for placeholder in TemplateText.malformed(in: subject) + TemplateText.malformed(in: body) where !malformed.contains(placeholder) {
            malformed.append(placeholder)
        }
        for placeholder in malformed {
            deductions.append(
                .init(
                    code: "placeholder", points: 30,
                    detail: "\(placeholder) is left in the text: it is not a variable and would reach the prospect as written"))
        }
        for variable in variables where variable.fallbackLevel >= .contextPack {
            deductions.append(
                .init(
                    code: "fallback", points: 10,
                    detail: "\(variable.name) is at fallback level \(variable.fallbackLevel.rawValue) (\(variable.fallbackLevel.label))"))
        }
        if let title = Self.capitalisedTitle(in: body) {
            deductions.append(.init(code: "title_case", points: 15, detail: "title capitalised mid-sentence: \"\(title)\""))
        }
        if let cut = SentenceRules.cutShort(in: body) {
            deductions.append(.init(code: "cut_short", points: 20, detail: "a sentence is cut short: \(cut)"))
        }
        if let acronym = casing.lowerCased(in: subject + " " + body) {
            deductions.append(.init(code: "acronym_case", points: 10, detail: "acronym in lower case: \"\(acronym.found)\" (\(acronym.written))"))
        }
        if let start = SentenceRules.lowerCaseStart(in: body) {
            deductions.append(
                .init(code: "sentence_start", points: 10, detail: "a \(start.kind) starts in lower case: \"\(start.sentence.prefix(80))\""))
        }
        var jargonPoints = 0
        for word in Self.jargonFound(in: subject + " " + body) {
            let points = min(10, 20 - jargonPoints)
            jargonPoints += points
            deductions.append(
                .init(code: "jargon", points: points, detail: "corporate jargon: \"\(word)\"" + (points < 10 ? " (jargon capped at −20)" : "")))
        }
        for variable in variables where variable.confidence <= 2 {
            deductions.append(.init(code: "low_confidence", points: 5, detail: "\(variable.name) has low confidence (\(variable.confidence)/5)"))
        }
        let total = deductions.reduce(0) { $0 + $1.points }
        return QualityScore(score: max(0, min(100, 100 - total)), version: QualityScore.version, wordCount: words.count, deductions: deductions)
    }

    /// Every jargon occurrence, in order of appearance.
    static func jargonFound(in text: String) -> [String] {
        let tokens = text.lowercased().split { !$0.isLetter && $0 != "-" }.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "-")) }
        let banned = Set(jargon)
        return tokens.filter { banned.contains($0) }
    }

    /// The first title word written with a capital letter in the middle of a sentence, with the word after it.
    static func capitalisedTitle(in body: String) -> String? {
        for line in body.components(separatedBy: .newlines) {
            let tokens = line.split(separator: " ").map(String.init)
            for index in tokens.indices.dropFirst() {
                let previous = tokens[index - 1]
                if let last = previous.last, ".!?:".contains(last) { continue }
                let word = tokens[index].trimmingCharacters(in: .punctuationCharacters)
                if titleWords.contains(word) {
                    let next = index + 1 < tokens.count ? " " + tokens[index + 1].trimmingCharacters(in: .punctuationCharacters) : ""
                    return word + next
                }
            }
        }
        return nil
    }
}
