import Foundation
import GreenlightEmails

/// Fills agent variables from the client's context pack alone (fallback levels 3 and 4), varying
/// the choice per contact where the pack allows: the persona nearest the job title, the competitor
/// and pain point nearest the industry, a case study from the same industry.
public struct ContextPackFiller: VariableFiller {
    public let modelName = "context-pack"
    public let note = "Drafted without a model: every agent variable comes from the context pack (fallback level 3) or a generic default (level 4)."

    public let promptVersion = "context-pack-1"

    public init() {}

    public func fill(_ names: [String], for contact: ContactProfile, client: DraftClient) async throws -> FilledVariables {
        FilledVariables(variables: fill(names, for: contact, pack: client.pack))
    }

    /// The variables from the pack alone.
    public func fill(_ names: [String], for contact: ContactProfile, pack: ContextPack) -> [DraftVariable] {
        names.compactMap { name in
            switch name {
            case "target_persona": persona(contact, pack)
            case "product_category": productCategory(pack)
            case "competitor_name": competitor(contact, pack)
            case "solve_specific_pain": pain(contact, pack)
            case "case_study_insight": caseStudy(contact, pack)
            case "specific_target_1": signal(name, index: 0, contact, pack)
            case "specific_target_2": signal(name, index: 1, contact, pack)
            case "system_1": system(name, index: 0, contact, pack)
            case "system_2": system(name, index: 1, contact, pack)
            case "system_3": system(name, index: 2, contact, pack)
            default: nil
            }
        }
    }

    private func persona(_ contact: ContactProfile, _ pack: ContextPack) -> DraftVariable {
        let personas = pack.personas
        guard !personas.isEmpty else {
            return DraftVariable(
                name: "target_persona", value: "operations", confidence: 1, fallbackLevel: .genericDefault,
                reasoning: "the context pack has no persona")
        }
        let title = contact.jobTitle
        let titleWords = WordMatch.words(title)
        let ranked = personas.enumerated().map { (index: $0.offset, persona: $0.element, score: WordMatch.overlap(titleWords, $0.element.title)) }
        let best = ranked.max { $0.score < $1.score || ($0.score == $1.score && $0.index > $1.index) }!
        let value = Self.lowercasedTitle(best.persona.title)
        if title.isEmpty {
            return DraftVariable(
                name: "target_persona", value: value, confidence: 2, fallbackLevel: .contextPack,
                reasoning: "the contact has no job title; used the pack's first persona \"\(best.persona.title)\"")
        }
        if best.score == 0 {
            return DraftVariable(
                name: "target_persona", value: value, confidence: 2, fallbackLevel: .contextPack,
                reasoning: "job title \"\(title)\" shares no word with any persona; used the pack's first persona \"\(best.persona.title)\"")
        }
        return DraftVariable(
            name: "target_persona", value: value, confidence: best.score >= 2 ? 4 : 3, fallbackLevel: .contextPack,
            reasoning:
                "job title \"\(title)\" is nearest the persona \"\(best.persona.title)\" (\(best.score) word\(best.score == 1 ? "" : "s") in common)")
    }

    private func productCategory(_ pack: ContextPack) -> DraftVariable {
        for sentence in Self.sentences(pack.pci) {
            for verb in [" sells a ", " sells an ", " provides a ", " provides an ", " offers a ", " offers an ", " is a ", " is an "] {
                guard let range = sentence.range(of: verb) else { continue }
                let phrase = sentence[range.upperBound...].prefix { ![":", ",", ".", ";", "("].contains($0) }.trimmingCharacters(in: .whitespaces)
                if !phrase.isEmpty, phrase.split(separator: " ").count <= 8 {
                    return DraftVariable(
                        name: "product_category", value: phrase.lowercased(), confidence: 4, fallbackLevel: .contextPack,
                        reasoning: "taken from the ideal customer profile: \"\(sentence.prefix(120))\"")
                }
            }
        }
        return DraftVariable(
            name: "product_category", value: "software platform", confidence: 1, fallbackLevel: .genericDefault,
            reasoning: "the ideal customer profile does not say what the client sells in one phrase")
    }

    private func competitor(_ contact: ContactProfile, _ pack: ContextPack) -> DraftVariable {
        guard !pack.competitors.isEmpty else {
            return DraftVariable(
                name: "competitor_name", value: "your current tool", confidence: 1, fallbackLevel: .genericDefault,
                reasoning: "the context pack lists no competitor")
        }
        let pick = Self.bestMatch(pack.competitors, key: contact.companyName, industry: contact.industry) { $0.name + " " + $0.positioning }
        let reasoning =
            pick.score > 0
            ? "\(pick.item.name)'s positioning (\"\(pick.item.positioning)\") matches the industry \"\(contact.industry)\""
            : "no competitor's positioning mentions \"\(contact.industry.isEmpty ? "an industry" : contact.industry)\"; picked \(pick.item.name) for every contact at \(contact.companyName)"
        return DraftVariable(
            name: "competitor_name", value: pick.item.name, confidence: pick.score > 0 ? 3 : 2, fallbackLevel: .contextPack, reasoning: reasoning)
    }

    private func pain(_ contact: ContactProfile, _ pack: ContextPack) -> DraftVariable {
        let pains = pack.painPoints
        guard !pains.isEmpty else {
            return DraftVariable(
                name: "solve_specific_pain", value: "the team spends too much time on manual work", confidence: 1, fallbackLevel: .genericDefault,
                reasoning: "the context pack has no pain point")
        }
        let pick = Self.bestMatch(pains, key: contact.companyName, industry: contact.industry + " " + contact.jobTitle) {
            $0.title + " " + $0.description
        }
        let value = Self.clause(pick.item.description.isEmpty ? pick.item.title : pick.item.description)
        let reasoning =
            pick.score > 0
            ? "pain point \"\(pick.item.title)\" mentions words of the contact's industry or role (\(contact.industry), \(contact.jobTitle))"
            : "no pain point mentions \"\(contact.industry)\"; picked \"\(pick.item.title)\" for every contact at \(contact.companyName)"
        return DraftVariable(
            name: "solve_specific_pain", value: value, confidence: pick.score > 0 ? 3 : 2, fallbackLevel: .contextPack, reasoning: reasoning)
    }

    private func caseStudy(_ contact: ContactProfile, _ pack: ContextPack) -> DraftVariable {
        guard !pack.caseStudies.isEmpty else {
            return DraftVariable(
                name: "case_study_insight", value: "teams like yours usually see the difference within the first month.", confidence: 1,
                fallbackLevel: .genericDefault, reasoning: "the context pack has no case study")
        }
        let pick = Self.bestMatch(pack.caseStudies, key: contact.companyName, industry: contact.industry) { $0.title + " " + $0.body }
        let sentences = Self.sentences(pick.item.body)
        var value = sentences.first ?? pick.item.body
        if let second = sentences.dropFirst().first, (value + " " + second).split(separator: " ").count <= 55 {
            value += " " + second
        }
        let reasoning =
            pick.score > 0
            ? "case study \"\(pick.item.title)\" is from the same industry (\(contact.industry))"
            : "no case study is from the industry \"\(contact.industry)\"; used \"\(pick.item.title)\""
        return DraftVariable(
            name: "case_study_insight", value: value, confidence: pick.score > 0 ? 4 : 2, fallbackLevel: .contextPack, reasoning: reasoning)
    }

    private func signal(_ name: String, index: Int, _ contact: ContactProfile, _ pack: ContextPack) -> DraftVariable {
        let signals = Self.sectionItems(in: pack.pci, headingContaining: "signal")
        guard !signals.isEmpty else {
            let defaults = ["teams that are hiring for customer-facing roles", "companies opening a new market this year"]
            return DraftVariable(
                name: name, value: defaults[index % defaults.count], confidence: 1, fallbackLevel: .genericDefault,
                reasoning: "the ideal customer profile lists no buying signals")
        }
        let start = WordMatch.stableIndex(for: contact.companyName, count: signals.count)
        let raw = signals[(start + index) % signals.count]
        let value = Self.clause(raw).split(separator: " ").prefix(12).joined(separator: " ")
        return DraftVariable(
            name: name, value: value, confidence: 2, fallbackLevel: .contextPack,
            reasoning: "a buying signal listed in the ideal customer profile, not checked against \(contact.companyName)")
    }

    private func system(_ name: String, index: Int, _ contact: ContactProfile, _ pack: ContextPack) -> DraftVariable {
        let pains = pack.painPoints
        guard !pains.isEmpty else {
            return DraftVariable(
                name: name, value: "a setup tailored to your team", confidence: 1, fallbackLevel: .genericDefault,
                reasoning: "the context pack has no pain point to build on")
        }
        let start = WordMatch.stableIndex(for: contact.companyName, count: pains.count)
        let pain = pains[(start + index) % pains.count]
        let value = Self.clause(pain.title.isEmpty ? pain.description : "\(pain.title.lowercased()): \(pain.description)")
        return DraftVariable(
            name: name, value: value, confidence: 2, fallbackLevel: .contextPack,
            reasoning: "built from the pain point \"\(pain.title)\" of the context pack")
    }

    // MARK: - Helpers

    /// The item whose text shares most words with `industry`; on no match, a stable pick by `key`.
    static func bestMatch<Item>(_ items: [Item], key: String, industry: String, text: (Item) -> String) -> (item: Item, score: Int) {
        let words = WordMatch.words(industry)
        var best: (item: Item, score: Int)?
        for item in items {
            let score = words.isEmpty ? 0 : WordMatch.overlap(words, text(item))
            if score > (best?.score ?? 0) { best = (item, score) }
        }
        if let best { return best }
        return (items[WordMatch.stableIndex(for: key, count: items.count)], 0)
    }

    /// Lower-case a job title for use mid-sentence, keeping acronyms (CFO, AP) in capitals however
    /// the pack writes them ("## cfo" is the CFO).
    static func lowercasedTitle(_ title: String) -> String {
        AcronymCasing.standard.apply(
            to: title.split(separator: " ").map { word in
                word.count <= 4 && word.allSatisfy({ $0.isUppercase || !$0.isLetter }) ? String(word) : word.lowercased()
            }.joined(separator: " "))
    }

    /// A sentence reshaped to sit after a colon: no trailing full stop, first letter lower-cased unless an acronym.
    static func clause(_ text: String) -> String {
        var value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while let last = value.last, ".;".contains(last) { value.removeLast() }
        if let first = value.first, first.isUppercase, value.dropFirst().first?.isLowercase ?? false {
            value = first.lowercased() + value.dropFirst()
        }
        return value
    }

    /// The sentences of a pack's text, headings left out; a full stop inside a number (£9.40) or
    /// after an abbreviation ends none.
    static func sentences(_ text: String) -> [String] {
        SentenceRules.sentences(text.components(separatedBy: .newlines).filter { !$0.hasPrefix("#") }.joined(separator: " "))
    }

    /// The list items under the first `##` heading whose text contains `word`.
    static func sectionItems(in markdown: String, headingContaining word: String) -> [String] {
        var inSection = false
        var items: [String] = []
        for line in markdown.components(separatedBy: .newlines) {
            if line.hasPrefix("#") {
                if inSection { break }
                inSection = line.lowercased().contains(word)
                continue
            }
            guard inSection else { continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") {
                items.append(String(trimmed.dropFirst(2)))
            } else if !trimmed.isEmpty, !items.isEmpty {
                items[items.count - 1] += " " + trimmed
            }
        }
        return items
    }
}
