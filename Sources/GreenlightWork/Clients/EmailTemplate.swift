import Foundation
/// An email template: subject and body with `{{variables}}`, a word range, and follow-up steps.
public struct EmailTemplate: Sendable, Equatable, Codable {
    /// What kind of message the template writes.
    public enum Strategy: String, Sendable, Codable, CaseIterable {
        case coldEmail = "cold_email"
        case linkedin
        case followUp = "follow_up"
        case breakUp = "break_up"
    }

    /// A later step of the sequence, sent `day` days after the first email.
    public struct FollowUp: Sendable, Equatable, Codable {
        public var day: Int
        public var body: String
    }

    public var name: String
    public var strategy: Strategy
    public var subject: String
    public var body: String
    public var minWords: Int
    public var maxWords: Int
    public var followUps: [FollowUp]

    public init(name: String, strategy: Strategy, subject: String, body: String, minWords: Int = 150, maxWords: Int = 250, followUps: [FollowUp] = [])
    {
        self.name = name
        self.strategy = strategy
        self.subject = subject
        self.body = body
        self.minWords = minWords
        self.maxWords = maxWords
        self.followUps = followUps
    }

    /// Every variable the template names, in order of first use.
    public var variables: [String] {
        var seen = Set<String>()
        var ordered: [String] = []
        for text in [subject, body] + followUps.map(\.body) {
            for name in TemplateText.variableNames(in: text) where seen.insert(name).inserted {
                ordered.append(name)
            }
        }
        return ordered
    }
}
