/// How a sent email was approved: by a person in review, by the rollout gate with nobody looking,
/// or by a person in a blind sample of drafts the gate would have auto-approved.
///
/// Read from the email once it is sent (its status is then `sent`): the gate's outcome
/// (`gate_outcome`) and whether it has a reviewer.
public enum ApprovalPath: String, Sendable, CaseIterable, Codable {
    case human
    case auto
    case sampled

    /// The path of an email with this gate outcome and reviewer.
    public static func of(gateOutcome: String?, reviewerID: Int?) -> ApprovalPath {
        guard reviewerID != nil else { return .auto }
        return gateOutcome == "sampled" ? .sampled : .human
    }

    /// How a page says it.
    public var label: String {
        switch self {
        case .human: "human-approved"
        case .auto: "auto-approved"
        case .sampled: "sampled (human-approved in a blind sample)"
        }
    }
}
