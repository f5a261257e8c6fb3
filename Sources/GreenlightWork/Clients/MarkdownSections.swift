import Foundation

/// Reads the few shapes of markdown a context pack uses: `##` sections, list items, a bold lead.
///
/// The pack is written by people for people; this reads its structure, never renders it.
enum MarkdownSections {
    /// A `##` heading and the text under it up to the next heading.
    struct Section: Equatable {
        var heading: String
        var text: String
    }

    static func secondLevel(in markdown: String) -> [Section] {
        var sections: [Section] = []
        var heading: String?
        var lines: [String] = []
        func flush() {
            if let heading {
                sections.append(Section(heading: heading, text: joinParagraph(lines)))
            }
        }
        for line in markdown.components(separatedBy: .newlines) {
            if line.hasPrefix("## ") {
                flush()
                heading = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
                lines = []
            } else if line.hasPrefix("# ") {
                flush()
                heading = nil
                lines = []
            } else {
                lines.append(line)
            }
        }
        flush()
        return sections
    }

    /// Top-level list items (`1.`, `-`, `*`), continuation lines joined to their item.
    static func listItems(in markdown: String) -> [String] {
        var items: [[String]] = []
        for line in markdown.components(separatedBy: .newlines) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let content = listItemContent(line) {
                items.append([content])
            } else if !trimmed.isEmpty, !items.isEmpty, line.first == " " || line.first == "\t" {
                items[items.count - 1].append(trimmed)
            }
        }
        return items.map { joinParagraph($0) }
    }

    private static func listItemContent(_ line: String) -> String? {
        guard let first = line.first, !first.isWhitespace else { return nil }
        if line.hasPrefix("- ") || line.hasPrefix("* ") { return String(line.dropFirst(2)) }
        let digits = line.prefix(while: \.isNumber)
        guard !digits.isEmpty else { return nil }
        let rest = line.dropFirst(digits.count)
        guard rest.hasPrefix(". ") || rest.hasPrefix(") ") else { return nil }
        return String(rest.dropFirst(2))
    }

    /// `**Title** — the rest` → ("Title", "the rest"); text without a bold lead gives ("", text).
    static func splitBoldLead(_ item: String) -> (String, String) {
        guard item.hasPrefix("**"), let end = item.range(of: "**", range: item.index(item.startIndex, offsetBy: 2)..<item.endIndex) else {
            return ("", item)
        }
        let title = String(item[item.index(item.startIndex, offsetBy: 2)..<end.lowerBound])
        var rest = item[end.upperBound...].trimmingCharacters(in: .whitespaces)
        for separator in ["—", "–", "-", ":"] where rest.hasPrefix(separator) {
            rest = String(rest.dropFirst(separator.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        return (title, rest)
    }

    /// The first `# ` heading of a document, or nil.
    static func firstHeading(in markdown: String) -> String? {
        markdown.components(separatedBy: .newlines).first { $0.hasPrefix("# ") }.map { $0.dropFirst(2).trimmingCharacters(in: .whitespaces) }
    }

    /// The document without its first `# ` heading, as one paragraph of text.
    static func bodyText(of markdown: String) -> String {
        var lines = markdown.components(separatedBy: .newlines)
        if let index = lines.firstIndex(where: { $0.hasPrefix("# ") }) { lines.remove(at: index) }
        return joinParagraph(lines)
    }

    static func joinParagraph(_ lines: [String]) -> String {
        lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
