import Crypto
import Foundation

/// The prompt of one agent, versioned — the version is stored on each email drafted with
/// it: the agent's role, steps and output rules; the client's context pack; its reviewers' recent
/// style corrections and most frequent rejection reasons as mistakes to avoid, and the emails whose
/// prospects answered with interest as what worked; then, as the user's
/// message, the contact, its website text and the outputs of the agents it depends on.
public enum AgentPrompt {
    /// Change it whenever the wording changes: cached answers are kept per version.
    public static let version = "agents-1"
    /// The most of each context pack section a prompt carries.
    static let sectionCap = 2_000

    /// What an agent is told about one contact.
    public struct Input: Sendable {
        public var clientName: String
        public var contact: ContactProfile
        public var pack: ContextPack
        /// The readable text of the prospect's site (nil: none could be read).
        public var websiteText: String?
        public var lessons: ClientLessons
        /// The client's prompt version's own instructions (empty: none).
        public var instructions: String

        public init(
            clientName: String, contact: ContactProfile, pack: ContextPack, websiteText: String?, lessons: ClientLessons, instructions: String = ""
        ) {
            self.instructions = instructions
            self.clientName = clientName
            self.contact = contact
            self.pack = pack
            self.websiteText = websiteText
            self.lessons = lessons
        }
    }

    /// The lessons part of every agent's system prompt: the client's recent corrections and the
    /// reasons its reviewers rejected drafts (empty when there are none).
    static func lessons(_ lessons: ClientLessons) -> String {
        var text = ""
        if !lessons.corrections.isEmpty {
            text +=
                "\n\nHow this client's reviewers corrected recent drafts (before → after); write like the after:\n"
                + lessons.corrections.map { "- \"\($0.before)\" → \"\($0.after)\"" }.joined(separator: "\n")
        }
        if !lessons.mistakes.isEmpty {
            text +=
                "\n\nMistakes to avoid (why reviewers rejected drafts in the last 30 days):\n"
                + lessons.mistakes.map { mistake in
                    "- \(mistake.reason.replacingOccurrences(of: "_", with: " ")) (\(mistake.count)×)"
                        + (mistake.details.isEmpty ? "" : ": " + mistake.details.map { "\"\($0)\"" }.joined(separator: "; "))
                }.joined(separator: "\n")
        }
        if !lessons.answered.isEmpty {
            text +=
                "\n\nWhat worked: recent emails of this client whose prospect answered with interest (write in their spirit, never copy them):\n"
                + lessons.answered.map { "- \"\($0.replacingOccurrences(of: "\n", with: " "))\"" }.joined(separator: "\n")
        }
        return text
    }

    /// The client's own instructions, when its prompt version has any.
    static func instructions(_ text: String) -> String {
        text.isEmpty ? "" : "\n\nThis client's instructions for its emails (follow them):\n" + text
    }

    /// What a cached answer depends on besides the company and template: the prompt's version and a
    /// fingerprint of the lessons and instructions the agent reads, so a new lesson — or the other
    /// arm of an experiment — asks the agent again.
    static func cacheVersion(_ lessons: ClientLessons, instructions: String = "") -> String {
        let text = Self.lessons(lessons) + Self.instructions(instructions)
        guard !text.isEmpty else { return version }
        let digest = SHA256.hash(data: Data(text.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        return "\(version)+\(digest)"
    }

    public static func messages(_ agent: AgentKind, _ input: Input, earlier: [String: String]) -> [ChatMessage] {
        var system = """
            You are the \(agent.role), in a team writing cold emails for \(input.clientName).
            Steps:
            \(agent.steps.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n"))
            Output rules from the client's writers: titles sit mid-sentence, so write them in lower case ("vp sales", not "VP Sales"); \
            no corporate jargon (innovative, cutting-edge, world-class, leader, disruptive…); never empty and never "N/A"; \
            signals have at most 12 words and do not start with a verb. \
            Say in "source" whether your values come from the company's own website ("site") or are inferred from its industry ("industry"); \
            give your "reasoning" in one sentence and your "confidence" from 1 to 5.
            """
        system += "\n\nThe client's context:\n" + context(input.pack)
        system += lessons(input.lessons)
        system += instructions(input.instructions)
        let contact = input.contact
        var user = """
            Prospect: \(contact.firstName) \(contact.lastName), \(contact.jobTitle.isEmpty ? "job title unknown" : contact.jobTitle), \
            at \(contact.companyName) (\(contact.industry.isEmpty ? "industry unknown" : contact.industry)), website \(contact.website.isEmpty ? "unknown" : contact.website).
            """
        if let text = input.websiteText, !text.isEmpty {
            user += "\n\nText of the prospect's website:\n" + text
        } else {
            user += "\n\nThe prospect's website could not be read: infer from the industry, and say so with source \"industry\"."
        }
        if !earlier.isEmpty {
            user +=
                "\n\nWhat the other agents found:\n" + earlier.sorted { $0.key < $1.key }.map { "- \($0.key): \($0.value)" }.joined(separator: "\n")
        }
        return [.system(system), .user(user)]
    }

    /// The context pack's sections, each capped.
    static func context(_ pack: ContextPack) -> String {
        func capped(_ text: String) -> String { text.count <= sectionCap ? text : String(text.prefix(sectionCap)) + " …" }
        var parts = [
            "## Ideal customer profile\n" + capped(pack.pci), "## Personas\n" + capped(pack.personasMarkdown),
            "## Pain points\n" + capped(pack.painPointsMarkdown),
        ]
        if !pack.competitors.isEmpty {
            parts.append("## Competitors\n" + capped(pack.competitors.map { "- \($0.name): \($0.positioning)" }.joined(separator: "\n")))
        }
        if !pack.caseStudies.isEmpty {
            parts.append("## Case studies\n" + capped(pack.caseStudies.map { "### \($0.title)\n\($0.body)" }.joined(separator: "\n")))
        }
        return parts.joined(separator: "\n\n")
    }
}
