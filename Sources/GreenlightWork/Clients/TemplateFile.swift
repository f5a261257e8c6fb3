import Foundation
import Yams

/// Reads a template written as markdown with YAML front matter (name, strategy, subject,
/// min_words, max_words, follow_ups) and the body after it, and refuses what cannot work.
public enum TemplateFile {
    private struct FrontMatter: Decodable {
        struct FollowUp: Decodable {
            var day: Int
            var body: String
        }

        var name: String
        var strategy: String?
        var subject: String
        var min_words: Int?
        var max_words: Int?
        var follow_ups: [FollowUp]?
    }

    public static func parse(_ text: String, source: String = "template") throws(ImportError) -> EmailTemplate {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").trimmingPrefix("\u{FEFF}")
        let lines = normalized.components(separatedBy: "\n")
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---",
            let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" })
        else {
            throw ImportError(
                "\(source) has no YAML front matter: start the file with a line `---`, the fields (name, strategy, subject, …), then `---` and the body"
            )
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        let body = lines[(end + 1)...].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        let front: FrontMatter
        do {
            front = try YAMLDecoder().decode(FrontMatter.self, from: yaml)
        } catch {
            throw ImportError("\(source): the front matter is not valid: \(ContextPackFolder.describe(error))")
        }
        let strategyName = front.strategy ?? EmailTemplate.Strategy.coldEmail.rawValue
        guard let strategy = EmailTemplate.Strategy(rawValue: strategyName) else {
            throw ImportError(
                "\(source): strategy \"\(strategyName)\" is not one of \(EmailTemplate.Strategy.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let template = EmailTemplate(
            name: front.name.trimmingCharacters(in: .whitespaces),
            strategy: strategy,
            subject: front.subject.trimmingCharacters(in: .whitespaces),
            body: body,
            minWords: front.min_words ?? 150,
            maxWords: front.max_words ?? 250,
            followUps: (front.follow_ups ?? []).map { .init(day: $0.day, body: $0.body.trimmingCharacters(in: .whitespacesAndNewlines)) }
        )
        try validate(template, source: source)
        return template
    }

    /// Checks a template however it arrived (file or form).
    public static func validate(_ template: EmailTemplate, source: String = "template") throws(ImportError) {
        if template.name.isEmpty { throw ImportError("\(source): name is empty") }
        if template.subject.isEmpty { throw ImportError("\(source): subject is empty") }
        if template.body.isEmpty { throw ImportError("\(source): the body after the front matter is empty") }
        if template.minWords < 1 || template.maxWords < template.minWords {
            throw ImportError(
                "\(source): min_words (\(template.minWords)) and max_words (\(template.maxWords)) must be positive with min_words ≤ max_words")
        }
        for (index, step) in template.followUps.enumerated() where step.day < 1 || step.body.isEmpty {
            throw ImportError("\(source): follow-up \(index + 1) needs a day of 1 or more and a body")
        }
        for text in [template.subject, template.body] + template.followUps.map(\.body) where TemplateText.hasUnclosedPlaceholder(text) {
            throw ImportError("\(source): a `{{` is never closed with `}}`")
        }
        var malformed: [String] = []
        for text in [template.subject, template.body] + template.followUps.map(\.body) {
            for placeholder in TemplateText.malformed(in: text) where !malformed.contains(placeholder) { malformed.append(placeholder) }
        }
        if !malformed.isEmpty {
            throw ImportError(
                "\(source) has placeholders that are not variable names, which would reach prospects as written: "
                    + malformed.map { "`\($0)`" }.joined(separator: ", ")
                    + ". A variable is letters, digits and _ between {{ and }}, e.g. {{company_name}}")
        }
        let unknown = TemplateVariableCatalog.unknown(in: template.variables)
        if !unknown.isEmpty {
            throw ImportError(
                "\(source) names variables that no agent or contact field provides: \(unknown.joined(separator: ", ")). Known variables: \(TemplateVariableCatalog.all.sorted().joined(separator: ", "))"
            )
        }
    }
}

extension String {
    fileprivate func trimmingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
