import Foundation

/// The style rules of the client's writers that every agent answer is checked against after
/// decoding: never empty or a placeholder ("N/A"), no corporate jargon, titles in lower case where
/// they sit mid-sentence ("vp sales"), signals of at most 12 words that do not start with a verb.
/// The first broken rule is returned in words, to feed back to the model when it is asked again.
public struct AgentOutputRules: Sendable {
    /// How a field's value is checked beyond "not empty, no jargon".
    public enum Style: Sendable, Equatable {
        /// Free text.
        case plain
        /// Sits mid-sentence: all lower case ("vp sales", "accounts payable software").
        case lowerCase
        /// A signal: at most 12 words, not starting with a verb.
        case signal
        /// A whole number in a range (a confidence).
        case number(ClosedRange<Int>)
        /// One of a few words (where a value came from).
        case oneOf([String])
    }

    /// Placeholders a model writes instead of an answer.
    static let placeholders: Set<String> = ["n/a", "na", "none", "null", "unknown", "-", "—", "tbd", "not available", "not applicable"]

    /// Words that start a signal written as an action rather than a description of companies
    /// ("hiring sdrs" instead of "companies hiring sdrs"): common verbs in their base, third-person,
    /// -ing and past forms. A list, not a grammar: it catches what models write most.
    static let leadingVerbs: Set<String> = [
        "is", "are", "was", "were", "be", "has", "have", "had", "do", "does", "did",
        "use", "uses", "using", "used", "hire", "hires", "hiring", "hired", "launch", "launches", "launching", "launched",
        "raise", "raises", "raising", "raised", "expand", "expands", "expanding", "expanded", "open", "opens", "opening", "opened",
        "build", "builds", "building", "built", "run", "runs", "running", "ran", "seek", "seeks", "seeking", "sought",
        "look", "looks", "looking", "looked", "adopt", "adopts", "adopting", "adopted", "migrate", "migrates", "migrating", "migrated",
        "scale", "scales", "scaling", "scaled", "grow", "grows", "growing", "grew", "target", "targets", "targeting", "targeted",
        "find", "finds", "finding", "found", "identify", "identifies", "identifying", "identified", "sell", "sells", "selling", "sold",
        "manage", "manages", "managing", "managed", "struggle", "struggles", "struggling", "struggled", "need", "needs", "needing", "needed",
        "want", "wants", "wanting", "wanted", "invest", "invests", "investing", "invested", "switch", "switches", "switching", "switched",
    ]

    public init() {}

    /// The first rule `value` breaks for the field, or nil when it keeps them all.
    public func problem(field: String, value: String, style: Style) -> String? {
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return "\"\(field)\" is empty: write a real value" }
        guard !Self.placeholders.contains(text.lowercased()) else { return "\"\(field)\" is \"\(text)\": never a placeholder, write a real value" }
        if case .number(let range) = style {
            guard let number = Int(text), range.contains(number) else {
                return "\"\(field)\" must be a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(text)\""
            }
            return nil
        }
        if case .oneOf(let words) = style {
            guard words.contains(text.lowercased()) else {
                return "\"\(field)\" must be one of \(words.map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(text)\""
            }
            return nil
        }
        if let jargon = QualityScorer.jargonFound(in: text).first {
            return "\"\(field)\" uses the corporate jargon \"\(jargon)\": say it plainly"
        }
        switch style {
        case .plain, .number, .oneOf:
            return nil
        case .lowerCase:
            guard text == text.lowercased() else {
                return "\"\(field)\" sits mid-sentence: write it in lower case (\"\(text.lowercased())\", not \"\(text)\")"
            }
            return nil
        case .signal:
            let words = text.split(whereSeparator: { $0.isWhitespace })
            guard words.count <= 12 else { return "\"\(field)\" has \(words.count) words: a signal has at most 12" }
            let first = words.first.map { $0.lowercased().trimmingCharacters(in: .punctuationCharacters) } ?? ""
            guard !Self.leadingVerbs.contains(first) else {
                return "\"\(field)\" starts with the verb \"\(first)\": describe the companies, e.g. \"companies \(text.lowercased())\""
            }
            return nil
        }
    }
}
