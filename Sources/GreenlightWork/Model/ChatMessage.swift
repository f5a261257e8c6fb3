/// One message of a chat-completions conversation.
public struct ChatMessage: Sendable, Equatable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: "system", content: text) }
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: "user", content: text) }
    public static func assistant(_ text: String) -> ChatMessage { ChatMessage(role: "assistant", content: text) }
}

/// What one answered call gave: the decoded JSON object, its raw text, the tokens counted and how
/// the structured output was asked for.
public struct ChatCompletion: Sendable {
    /// The answer's JSON object (the message content decoded a second time), numbers as their decimal text.
    public var object: [String: String]
    public var content: String
    public var model: String
    public var promptTokens: Int
    public var completionTokens: Int
    /// False when the server sent no `usage` (some local servers): the tokens are counted as 0.
    public var usageReported: Bool
    public var mode: OutputMode
    /// How many HTTP requests the call took (retries and mode fallbacks included).
    public var requests: Int
    /// Why the answer holds no usable object (cut, refused, not JSON); nil when `object` is the answer.
    public var problem: String?
    /// Where the call was paid for, when a ``CallMeter`` paid for it.
    var reservation: CallMeter.Reservation?
}

/// How a server is asked for JSON: a schema (`json_schema`), any JSON object (`json_object`), or
/// only by the prompt. Detected once per base URL, best first, and remembered.
public enum OutputMode: String, Sendable, Equatable {
    case jsonSchema = "json_schema"
    case jsonObject = "json_object"
    case prompt

    /// The next weaker mode, nil after the last.
    var weaker: OutputMode? {
        switch self {
        case .jsonSchema: return .jsonObject
        case .jsonObject: return .prompt
        case .prompt: return nil
        }
    }
}
