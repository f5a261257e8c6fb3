/// One model-written variable's words that nothing supports (the grounding check).
public struct GroundingFlag: Sendable, Equatable, Codable {
    /// The variable, e.g. `case_study_insight`.
    public var variable: String
    /// The unsupported words as they stand in the email ("40%", "Verdeshop").
    public var words: [String]
    public var reason: String

    public init(variable: String, words: [String], reason: String) {
        self.variable = variable
        self.words = words
        self.reason = reason
    }
}
