import Foundation
import Yams

extension TemplateFile {
    private struct Front: Encodable {
        struct FollowUp: Encodable {
            var day: Int
            var body: String
        }

        var name: String
        var strategy: String
        var subject: String
        var min_words: Int
        var max_words: Int
        var follow_ups: [FollowUp]?
    }

    /// The template as a file ``parse(_:source:)`` reads back to the same template: YAML front matter
    /// (quoted by Yams wherever YAML needs it), then the body.
    public static func render(_ template: EmailTemplate) -> String {
        let front = Front(
            name: template.name, strategy: template.strategy.rawValue, subject: template.subject, min_words: template.minWords,
            max_words: template.maxWords,
            follow_ups: template.followUps.isEmpty ? nil : template.followUps.map { Front.FollowUp(day: $0.day, body: $0.body) })
        let yaml = (try? YAMLEncoder().encode(front)) ?? "name: \(template.name)\n"
        return "---\n" + yaml.trimmingCharacters(in: .newlines) + "\n---\n\n" + template.body + "\n"
    }
}
