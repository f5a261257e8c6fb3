import Foundation
import GreenlightEmails

/// Checks what the model wrote against what it was given: in each variable an agent wrote
/// (levels 1–2), every number and every proper name must appear in the contact's fields, the text
/// read from its website or the client's context pack; and a variable the agent says it found on the
/// prospect's site (level 1) must share words with that site's text. Values from the context pack or
/// the contact itself (levels 3–4) are its sources and are not checked. A flagged email is never
/// auto-approved, and its card marks the words.
public struct GroundingCheck: Sendable {
    /// Everything the drafts may state as fact, folded, as its words between single spaces.
    let evidence: String
    /// Every number the evidence holds, as digits ("1,200" → "1200").
    let evidenceNumbers: Set<String>
    /// The words of the prospect's site, folded (empty: no site was read).
    let siteWords: Set<String>

    public init(contact: ContactProfile, websiteText: String?, pack: ContextPack) {
        let contactText =
            [
                contact.firstName, contact.lastName, contact.email, contact.companyName, contact.website, contact.linkedinURL,
                contact.industry,
            ] + contact.extra.values.sorted()
        let packText =
            [pack.pci, pack.personasMarkdown, pack.painPointsMarkdown] + pack.competitors.flatMap { [$0.name, $0.positioning] }
            + pack.caseStudies.flatMap { [$0.title, $0.body] }
        let all = Self.fold((contactText + [websiteText ?? ""] + packText).joined(separator: "\n"))
        evidence = " " + Self.words(in: all).joined(separator: " ") + " "
        evidenceNumbers = Set(Self.numbers(in: all).map(Self.digits))
        siteWords = Set(Self.words(in: Self.fold(websiteText ?? "")).map(Self.stem))
    }

    /// The flags for a draft's variables (empty when everything is supported).
    public func check(_ variables: [DraftVariable]) -> [GroundingFlag] {
        variables.compactMap { variable in
            guard TemplateVariableCatalog.agentVariables.contains(variable.name), variable.fallbackLevel <= .industryInference else { return nil }
            var words: [String] = []
            var reasons: [String] = []
            let numbers = Self.numbers(in: variable.value).filter { !evidenceNumbers.contains(Self.digits($0)) }
            if !numbers.isEmpty {
                words += numbers
                reasons.append("\(numbers.count == 1 ? "a number" : "numbers") not in the contact, its site or the context pack")
            }
            let names = Self.names(in: variable.value).filter { !evidence.contains(" " + Self.words(in: Self.fold($0)).joined(separator: " ") + " ") }
            if !names.isEmpty {
                words += names
                reasons.append("\(names.count == 1 ? "a name" : "names") not in the contact, its site or the context pack")
            }
            if variable.fallbackLevel == .companySite {
                let content = Self.contentWords(in: variable.value)
                if siteWords.isEmpty {
                    reasons.append("said to come from the prospect's site, but no site text was read")
                    words += content.isEmpty ? [variable.value] : content
                } else if !content.isEmpty, !content.contains(where: { siteWords.contains(Self.stem(Self.fold($0))) }) {
                    reasons.append("said to come from the prospect's site, which says nothing of it")
                    words += content
                }
            }
            guard !reasons.isEmpty else { return nil }
            var seen = Set<String>()
            return GroundingFlag(variable: variable.name, words: words.filter { seen.insert($0).inserted }, reason: reasons.joined(separator: "; "))
        }
    }

    /// Numbers as written: "40%", "$2.5M", "1,200", "3x".
    static func numbers(in text: String) -> [String] {
        matches(#"[$€£]?\d[\d,.]*\d?(?:\s?%|[kKmMxX]\b|bn\b)?"#, in: text).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ".,")) }
    }

    /// Capitalised runs ("Series B", "Verdeshop"), except a sentence's first word when it is a common one.
    static func names(in text: String) -> [String] {
        var names: [String] = []
        for sentence in text.split(whereSeparator: { ".!?\n".contains($0) }) {
            var run: [String] = []
            func flush() {
                if !run.isEmpty { names.append(run.joined(separator: " ")) }
                run = []
            }
            let tokens = sentence.split(whereSeparator: { $0.isWhitespace || ",;:()\"“”".contains($0) })
            for (index, token) in tokens.enumerated() {
                var word = token.trimmingCharacters(in: CharacterSet(charactersIn: "'’-"))
                if word.hasSuffix("'s") || word.hasSuffix("’s") { word = String(word.dropLast(2)) }
                let isName = word.first?.isUppercase == true && word != "I" && !(index == 0 && commonWords.contains(word.lowercased()))
                if isName { run.append(word) } else { flush() }
            }
            flush()
        }
        return names
    }

    /// Words that carry meaning: four letters or more and not common.
    static func contentWords(in text: String) -> [String] {
        words(in: text).filter { $0.count >= 4 && !commonWords.contains($0.lowercased()) }
    }

    static func words(in text: String) -> [String] {
        text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    /// The first five letters: "doubled" and "doubling" meet.
    static func stem(_ word: String) -> String { String(word.prefix(5)) }

    /// Lower case without accents, numbers without thousands separators.
    static func fold(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        return folded.replacingOccurrences(of: #"(?<=\d),(?=\d{3})"#, with: "", options: .regularExpression)
    }

    /// A number's digits as the evidence holds them ("1,200" → "1200", "40 %" → "40").
    static func digits(_ number: String) -> String {
        let kept = number.filter { $0.isNumber || $0 == "." }
        return kept.hasSuffix(".") ? String(kept.dropLast()) : kept
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
    }

    static let commonWords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "over", "under", "about",
        "after", "before", "since", "during", "while", "when", "where", "which", "who", "whom", "whose", "what", "why", "how", "that", "this",
        "these", "those", "there", "here", "their", "they", "them", "theirs", "your", "you", "yours", "our", "ours", "we", "us", "its", "it",
        "his", "her", "he", "she", "i", "me", "my", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did",
        "will", "would", "can", "could", "should", "may", "might", "must", "not", "no", "yes", "so", "as", "than", "then", "too", "very",
        "more", "most", "less", "least", "many", "much", "some", "any", "each", "every", "all", "both", "few", "other", "such", "only", "own",
        "same", "just", "also", "still", "even", "again", "once", "new", "now", "up", "out", "off", "down", "per", "via", "like", "across",
        "between", "through", "without", "within", "against", "among", "around", "because", "while", "whether", "teams", "team", "company",
        "companies", "people", "business", "businesses", "customers", "customer",
    ]
}
