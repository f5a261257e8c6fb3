import Foundation

/// What makes a draft's text read as written by hand (issue 34): where sentences start and end,
/// a sentence cut short, a sentence or list item started in lower case — used to capitalise a
/// variable that opens a sentence, and by the quality score to notice what slipped through.
public enum SentenceRules {
    /// Words a sentence does not end on.
    static let dangling: Set<String> = [
        "a", "an", "the", "and", "or", "but", "of", "to", "from", "with", "for", "in", "on", "at", "by", "as", "than", "into", "your", "our", "their",
    ]

    /// Abbreviations whose full stop ends no sentence (lower-cased, without the stop).
    static let abbreviations: Set<String> = [
        "e.g", "i.e", "etc", "vs", "cf", "mr", "mrs", "ms", "dr", "st", "no", "inc", "ltd", "co", "corp", "approx", "incl", "dept", "fig", "p", "pp",
    ]

    /// Whether text ending in `before` puts what comes next at the start of a sentence: the text's
    /// start, a new line, a list marker opening a line, or a sentence's end and a space.
    static func isSentenceStart(after before: Substring) -> Bool {
        let line = before.split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed == "-" || trimmed == "*" { return true }
        if trimmed.allSatisfy({ $0.isNumber || $0 == "." }), trimmed.hasSuffix(".") { return true }
        guard line.last?.isWhitespace == true, let end = trimmed.last, ".!?".contains(end) else { return false }
        let lastWord = trimmed.split(separator: " ").last.map { $0.dropLast().lowercased() } ?? ""
        return !abbreviations.contains(lastWord)
    }

    /// `value` as it should read where a sentence starts: its first letter in capitals, unless its
    /// first word is written with a capital inside (iPhone, eBay) or is a web or email address.
    static func capitalised(_ value: String) -> String {
        guard let first = value.first, first.isLowercase else { return value }
        let word = value.prefix { !$0.isWhitespace }
        if word.dropFirst().contains(where: \.isUppercase) || word.contains("@") || word.contains("://") || word.hasPrefix("www.") { return value }
        return first.uppercased() + value.dropFirst()
    }

    /// Fills a template's placeholders, capitalising each value that opens a sentence or a list item.
    public static func fill(_ text: String, with values: [String: String]) -> String {
        var result = ""
        var cursor = text.startIndex
        for placeholder in TemplateText.placeholders(in: text) {
            result += text[cursor..<placeholder.range.lowerBound]
            if let value = values[placeholder.name] {
                result += isSentenceStart(after: result[...]) ? capitalised(value) : value
            } else {
                result += text[placeholder.range]
            }
            cursor = placeholder.range.upperBound
        }
        result += text[cursor...]
        return result
    }

    /// The sentences of a text, line by line, each with its closing punctuation; a full stop inside
    /// a number (£9.40), after an abbreviation (e.g.) or an initial ends none.
    public static func sentences(_ text: String) -> [String] {
        var result: [String] = []
        for line in text.components(separatedBy: .newlines) {
            var current = ""
            let characters = Array(line)
            for (index, character) in characters.enumerated() {
                current.append(character)
                guard ".!?".contains(character) else { continue }
                let next = index + 1 < characters.count ? characters[index + 1] : " "
                guard next.isWhitespace else { continue }
                if character == "." {
                    let word = current.dropLast().split(separator: " ").last.map { String($0).lowercased() } ?? ""
                    let bare = word.trimmingCharacters(in: CharacterSet(charactersIn: "(\"'"))
                    if abbreviations.contains(bare) || (bare.count == 1 && bare.first?.isLetter == true) { continue }
                }
                let sentence = current.trimmingCharacters(in: .whitespaces)
                if !sentence.isEmpty { result.append(sentence) }
                current = ""
            }
            let rest = current.trimmingCharacters(in: .whitespaces)
            if !rest.isEmpty { result.append(rest) }
        }
        return result
    }

    /// Why a sentence of the text reads as cut short, nil when none does: a number broken at its
    /// decimal point ("£9. 40"), a range opened with "from" and never closed ("fell from £9."), a
    /// sentence ending on a word that needs one after it ("…like the.").
    public static func cutShort(in text: String) -> String? {
        if let broken = text.range(of: #"\d\.[ \t]+\d+"#, options: .regularExpression) {
            return "\"\(text[broken])\" breaks a number at its decimal point"
        }
        for sentence in sentences(text) where sentence.hasSuffix(".") {
            let words = sentence.dropLast().split(separator: " ")
            guard let last = words.last else { continue }
            let tail = "…" + words.suffix(3).joined(separator: " ") + "."
            if sentence.range(of: #"\bfrom [£$€]?\d[\d,]*(\.\d+)?[kmKM]?\.$"#, options: .regularExpression) != nil,
                !(sentence.components(separatedBy: " from ").last ?? "").contains(" to ")
            {
                return "\"\(tail)\" opens a range it never closes"
            }
            let bare = last.lowercased().trimmingCharacters(in: .punctuationCharacters)
            if dangling.contains(bare) { return "\"\(tail)\" ends on \"\(bare)\"" }
        }
        return nil
    }

    /// The first sentence or list item of the text that starts with a lower-case word (one written
    /// with a capital inside, an address, or a clause after an abbreviation excepted), with what it is.
    public static func lowerCaseStart(in text: String) -> (kind: String, sentence: String)? {
        for line in text.components(separatedBy: .newlines) {
            var body = line.trimmingCharacters(in: .whitespaces)
            var kind = "sentence"
            if body.hasPrefix("- ") || body.hasPrefix("* ") {
                body = String(body.dropFirst(2)).trimmingCharacters(in: .whitespaces)
                kind = "list item"
            }
            for (index, sentence) in sentences(body).enumerated() {
                guard capitalised(sentence) != sentence else { continue }
                return (index == 0 ? kind : "sentence", sentence)
            }
        }
        return nil
    }
}
