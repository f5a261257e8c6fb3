import Foundation

/// How acronyms and brands are written (COO, SaaS, ERP, NetSuite): a list of the usual ones, and
/// whatever a context pack writes with capitals inside a word. A pack that writes "## cfo" as a
/// persona heading still gets "the CFO" in a draft; the scorer deducts for "the coo" it finds.
public struct AcronymCasing: Sendable, Equatable {
    /// Lower-case spelling → the written one.
    public let spellings: [String: String]

    /// Acronyms a business email writes in capitals. Titles such as VP are not here: the house style wants
    /// them in lower case mid-sentence ("vp sales"); nor are those that are French words in lower
    /// case (AI, EU, ROI: "j'ai", "eu", "roi") — a pack that writes them in capitals adds them.
    public static let standard = AcronymCasing(
        spellings: Dictionary(
            uniqueKeysWithValues: [
                "CEO", "CFO", "COO", "CTO", "CIO", "CMO", "CRO", "CHRO", "CISO", "AP", "AR", "HR", "ERP", "CRM", "SaaS", "B2B", "B2C", "CSV", "PDF",
                "API", "KPI", "OCR", "SEPA", "SAP", "UK", "USA", "SLA", "SMB", "SME", "GDPR", "VAT", "FX", "QA", "SEO", "UX", "CX",
            ].map { ($0.lowercased(), $0) }))

    /// Words that are ordinary words in lower case ("it", "us"): never taken for acronyms.
    static let ordinaryWords: Set<String> = [
        "a", "i", "it", "us", "as", "an", "or", "so", "no", "do", "go", "me", "we", "he", "hi", "ok", "id", "am", "is", "be", "by", "in", "on",
        "at", "to", "of", "up", "if", "my", "oh", "vs", "per", "via", "the", "and", "our", "all", "new",
    ]

    init(spellings: [String: String]) {
        self.spellings = spellings
    }

    /// The standard spellings, and every word of `text` written with a capital after its first
    /// letter (NetSuite, SaaS, ERP) — how the text writes it wins.
    public init(text: String) {
        var spellings = Self.standard.spellings
        for word in Self.words(in: text) where word.dropFirst().contains(where: \.isUppercase) && word.count >= 2 {
            let key = word.lowercased()
            if !Self.ordinaryWords.contains(key) { spellings[key] = String(word) }
        }
        self.init(spellings: spellings)
    }

    /// The words of a text: runs of letters and digits.
    static func words(in text: String) -> [Substring] {
        text.split { !$0.isLetter && !$0.isNumber }
    }

    /// `text` with each word that is a known acronym in another case written as it should be
    /// ("the coo" → "the COO"); everything else as it was.
    public func apply(to text: String) -> String {
        var result = ""
        var word = ""
        func flush() {
            if let written = spellings[word.lowercased()], word != written, word == word.lowercased() || word == word.capitalized {
                result += written
            } else {
                result += word
            }
            word = ""
        }
        for character in text {
            if character.isLetter || character.isNumber {
                word.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }

    /// The first word of `text` that is a known acronym written all in lower case, with its spelling.
    public func lowerCased(in text: String) -> (found: String, written: String)? {
        for word in Self.words(in: text) {
            let found = String(word)
            if found == found.lowercased(), let written = spellings[found], written != found { return (found, written) }
        }
        return nil
    }
}
