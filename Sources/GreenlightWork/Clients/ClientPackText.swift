import Foundation
import GreenlightCore

/// The parts of a context pack the client form edits as Markdown, and back: competitors and case
/// studies as `## ` sections (a competitor's name and positioning; a case study's title and text,
/// its lines kept).
public enum ClientPackText {
    /// `## Name` then the positioning, per competitor.
    public static func competitors(from markdown: String) -> [ContextPack.Competitor] {
        sections(markdown).map { ContextPack.Competitor(name: $0.heading, positioning: $0.text.replacingOccurrences(of: "\n", with: " ")) }
    }

    public static func markdown(of competitors: [ContextPack.Competitor]) -> String {
        competitors.map { "## \($0.name)\n\n\($0.positioning)" }.joined(separator: "\n\n")
    }

    /// `## Title` then the text, per case study; a study keeps the file name it had under the same
    /// title, a new one is named after its title.
    public static func caseStudies(from markdown: String, keeping existing: [ContextPack.CaseStudy] = []) -> [ContextPack.CaseStudy] {
        var used = Set<String>()
        return sections(markdown).map { section in
            var file = existing.first { $0.title == section.heading }?.fileName ?? slug(section.heading) + ".md"
            var number = 2
            while used.contains(file) {
                file = slug(section.heading) + "-\(number).md"
                number += 1
            }
            used.insert(file)
            return ContextPack.CaseStudy(fileName: file, title: section.heading, body: section.text)
        }
    }

    public static func markdown(of studies: [ContextPack.CaseStudy]) -> String {
        studies.map { "## \($0.title)\n\n\($0.body)" }.joined(separator: "\n\n")
    }

    /// The `## ` sections of a text, each with its lines as written (trimmed at both ends).
    static func sections(_ markdown: String) -> [(heading: String, text: String)] {
        var result: [(heading: String, text: String)] = []
        var heading: String?
        var lines: [String] = []
        func flush() {
            if let heading { result.append((heading, lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines))) }
        }
        for line in markdown.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n") {
            if line.hasPrefix("## ") {
                flush()
                heading = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
                lines = []
            } else {
                lines.append(line)
            }
        }
        flush()
        return result
    }

    /// "Kestrel Supply — 40% faster" → "kestrel-supply-40-faster".
    static func slug(_ text: String) -> String {
        let words = text.lowercased().unicodeScalars.split { !CharacterSet.alphanumerics.contains($0) || !$0.isASCII }.map {
            String(String.UnicodeScalarView($0))
        }
        let joined = words.joined(separator: "-")
        return joined.isEmpty ? "case-study" : String(joined.prefix(60))
    }
}
