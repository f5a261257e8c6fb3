import Foundation

/// Compares short texts by their meaningful words — how the context-pack filler picks the persona
/// nearest a job title, or the competitor and pain point nearest an industry.
enum WordMatch {
    private static let stopWords: Set<String> = [
        "a", "an", "and", "the", "of", "for", "to", "in", "on", "at", "with", "by", "or", "de", "du", "des", "la", "le", "les", "et",
        "is", "are", "its", "their", "our", "your", "from", "as", "that", "this", "into", "than",
    ]

    /// Common title abbreviations, spelled out so "VP Sales" meets "vice president sales".
    private static let synonyms: [String: [String]] = [
        "vp": ["vice", "president"], "ap": ["accounts", "payable"], "cfo": ["chief", "financial", "officer", "finance"],
        "coo": ["chief", "operating", "officer", "operations"], "ceo": ["chief", "executive", "officer"],
        "cto": ["chief", "technology", "officer"], "cs": ["customer", "success"], "csm": ["customer", "success", "manager"],
        "ecommerce": ["commerce"], "saas": ["software"], "hr": ["human", "resources"],
    ]

    /// Lower-cased, accent-folded words without stop words, crudely singularised, with synonyms added.
    static func words(_ text: String) -> Set<String> {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        var result = Set<String>()
        let joinedHyphens = folded.replacingOccurrences(of: "-", with: "")
        for source in [folded, joinedHyphens] {
            for raw in source.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
                var word = String(raw)
                if stopWords.contains(word) || word.count < 2 { continue }
                if word.count > 4, word.hasSuffix("s"), !word.hasSuffix("ss") { word.removeLast() }
                result.insert(word)
                for synonym in synonyms[word] ?? [] { result.insert(synonym) }
            }
        }
        return result
    }

    /// How many meaningful words two texts share.
    static func overlap(_ a: Set<String>, _ b: String) -> Int {
        a.intersection(words(b)).count
    }

    /// A stable pick among `count` options for a key (the same company always gets the same one).
    static func stableIndex(for key: String, count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.lowercased().utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int(hash % UInt64(max(count, 1)))
    }
}
