/// A client's prompt version: a name people read and the instructions its agents are told besides
/// the shared prompt (none: the shared prompt alone, named "Standard").
public struct PromptVersion: Sendable, Hashable, Codable {
    public var name: String
    public var instructions: String

    public init(name: String, instructions: String) {
        self.name = name
        self.instructions = instructions
    }

    /// The version every client starts with.
    public static let standard = PromptVersion(name: "Standard", instructions: "")

    /// The most a name and the instructions may hold.
    public static let nameLimit = 60
    public static let instructionsLimit = 2_000

    /// How the version is stored on each draft (`generated_emails.prompt_version`), so the "what
    /// converts" breakdown by prompt version tells versions apart: the agents' prompt version alone
    /// for the standard version, else with the name ("agents-1 · Question opener").
    public func label(agents: String) -> String {
        self == .standard ? agents : "\(agents) · \(name)"
    }
}
