/// How much of the review a client has handed to the machine: in `shadow` a human reviews every
/// draft; in `partial` and `full` drafts at the phase's threshold are approved automatically, but for
/// a blind sample.
public enum RolloutPhase: String, Sendable, Codable, CaseIterable {
    case shadow, partial, full

    /// The phase below this one (nil for shadow).
    public var lower: RolloutPhase? {
        switch self {
        case .shadow: nil
        case .partial: .shadow
        case .full: .partial
        }
    }

    /// The phase above this one (nil for full).
    public var higher: RolloutPhase? {
        switch self {
        case .shadow: .partial
        case .partial: .full
        case .full: nil
        }
    }
}
