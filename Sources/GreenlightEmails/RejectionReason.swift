/// Why a reviewer rejected a draft: the fixed list, keyed 1–7 in the queue.
public enum RejectionReason: String, Sendable, Codable, CaseIterable {
    case wrongPersona = "wrong_persona"
    case incorrectCompetitor = "incorrect_competitor"
    case grammarIssues = "grammar_issues"
    case toneTooCorporate = "tone_too_corporate"
    case incorrectInfo = "incorrect_info"
    case lowQuality = "low_quality"
    case other

    public var label: String {
        switch self {
        case .wrongPersona: "Wrong persona"
        case .incorrectCompetitor: "Incorrect competitor"
        case .grammarIssues: "Grammar issues"
        case .toneTooCorporate: "Tone too corporate"
        case .incorrectInfo: "Incorrect information"
        case .lowQuality: "Low quality"
        case .other: "Other"
        }
    }

    /// The digit that picks this reason from the keyboard.
    public var key: Int { (Self.allCases.firstIndex(of: self) ?? 0) + 1 }
}
