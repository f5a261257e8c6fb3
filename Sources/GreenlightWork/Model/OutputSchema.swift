/// The JSON object an agent must answer: its string and integer fields, every one required, nothing
/// else. Kept to the subset of JSON Schema that OpenAI's strict structured outputs accept; lengths
/// and style are checked after decoding (``AgentOutputRules``).
public struct OutputSchema: Sendable, Equatable {
    /// A field's JSON type.
    public enum Kind: String, Sendable {
        case string, integer
    }

    /// The schema's name (`persona_output`).
    public var name: String
    public var fields: [(name: String, kind: Kind)]

    public init(name: String, fields: [(name: String, kind: Kind)]) {
        self.name = name
        self.fields = fields
    }

    public static func == (lhs: OutputSchema, rhs: OutputSchema) -> Bool {
        lhs.name == rhs.name && lhs.fields.map(\.name) == rhs.fields.map(\.name) && lhs.fields.map(\.kind) == rhs.fields.map(\.kind)
    }

    /// The JSON Schema object.
    var jsonSchema: [String: Any] {
        var properties: [String: Any] = [:]
        for field in fields { properties[field.name] = ["type": field.kind.rawValue] }
        return ["type": "object", "properties": properties, "required": fields.map(\.name), "additionalProperties": false]
    }

    /// The same, said in the prompt, for servers that take no schema.
    var instruction: String {
        "Answer with one JSON object and nothing else, with exactly these keys: "
            + fields.map { "\"\($0.name)\" (\($0.kind == .string ? "a string" : "a whole number"))" }.joined(separator: ", ") + "."
    }
}
