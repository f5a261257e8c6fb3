import Foundation

/// A message for a Slack incoming webhook: `{"text": …}`, with optional `blocks`.
///
/// `text` is always sent: it is the whole message when there are no blocks, and the notification
/// and fallback text when there are. It is Slack `mrkdwn`, so `<…>` makes links and mentions
/// (`<!channel>`): pass anything a user, a CSV or a model wrote through ``escaped(_:)``.
public struct SlackMessage: Sendable, Equatable, Encodable {
    /// The message text (`mrkdwn`).
    public var text: String
    /// Block Kit blocks; left out of the JSON when empty.
    public var blocks: [SlackBlock]

    public init(_ text: String, blocks: [SlackBlock] = []) {
        self.text = text
        self.blocks = blocks
    }

    /// `text` with the three characters Slack's `mrkdwn` treats as control (`&`, `<`, `>`) escaped,
    /// so it shows as written and cannot ping a channel or hide a link.
    public static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    private enum Keys: String, CodingKey { case text, blocks }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(text, forKey: .text)
        if !blocks.isEmpty { try container.encode(blocks, forKey: .blocks) }
    }
}
