/// One simple Block Kit block, for messages that need more shape than a line of text.
///
/// Only the few kinds our notifications use. Text in `section` and `context` is Slack `mrkdwn`:
/// pass anything a user, a CSV or a model wrote through ``SlackMessage/escaped(_:)`` first.
public enum SlackBlock: Sendable, Equatable, Encodable {
    /// A large bold heading (plain text, at most 150 characters by Slack's rules).
    case header(String)
    /// A paragraph of `mrkdwn` text.
    case section(String)
    /// Small grey `mrkdwn` text, for details such as a client's name or a count.
    case context(String)
    /// A horizontal rule.
    case divider

    private enum Keys: String, CodingKey { case type, text, elements }

    /// A text object: `{"type": "mrkdwn" | "plain_text", "text": …}`.
    private struct TextObject: Encodable {
        let type: String
        let text: String
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case .header(let text):
            try container.encode("header", forKey: .type)
            try container.encode(TextObject(type: "plain_text", text: text), forKey: .text)
        case .section(let text):
            try container.encode("section", forKey: .type)
            try container.encode(TextObject(type: "mrkdwn", text: text), forKey: .text)
        case .context(let text):
            try container.encode("context", forKey: .type)
            try container.encode([TextObject(type: "mrkdwn", text: text)], forKey: .elements)
        case .divider:
            try container.encode("divider", forKey: .type)
        }
    }
}
