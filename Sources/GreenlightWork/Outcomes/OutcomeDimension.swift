/// What the sent emails of "what converts" are broken down by. Each names the group an email falls
/// in, or none when the breakdown does not apply to it: only emails a person approved have a
/// reviewer, and only they can have been edited (an auto-approved email is in the approval-path
/// breakdown instead).
public enum OutcomeDimension: String, Sendable, CaseIterable, Codable {
    case scoreBand = "score-band"
    case template
    case promptVersion = "prompt-version"
    case fill
    case edit
    case approval
    case reviewer
    case week

    /// The breakdown's title on a page.
    public var title: String {
        switch self {
        case .scoreBand: "By quality score"
        case .template: "By template"
        case .promptVersion: "By prompt version"
        case .fill: "By how the draft was filled"
        case .edit: "Approved as written or edited (emails a person approved)"
        case .approval: "By approval path"
        case .reviewer: "By reviewer (emails a person approved)"
        case .week: "By week sent"
        }
    }

    /// What a group of it is, as a column header.
    public var groupHeader: String {
        switch self {
        case .scoreBand: "Score band"
        case .template: "Template"
        case .promptVersion: "Prompt version"
        case .fill: "Filled"
        case .edit: "Approved"
        case .approval: "Approval path"
        case .reviewer: "Reviewer"
        case .week: "Week starting"
        }
    }

    /// The group `email` falls in (a key that sorts the groups, and its label), or nil.
    public func group(of email: SentEmail) -> (key: String, label: String)? {
        switch self {
        case .scoreBand:
            let band = min(max(email.score, 0) / 10, 9)
            return ("\(band)", band == 9 ? "90–100" : "\(band * 10)–\(band * 10 + 9)")
        case .template:
            return ("\(email.templateName)\u{0}\(email.templateID)", email.templateName)
        case .promptVersion:
            return (email.promptVersion, email.promptVersion.isEmpty ? "not recorded" : email.promptVersion)
        case .fill:
            let index = FillSource.allCases.firstIndex(of: email.fill) ?? 0
            return ("\(index)", email.fill.label)
        case .edit:
            guard email.path != .auto else { return nil }
            return email.edited ? ("1", "edited before approval") : ("0", "as written")
        case .approval:
            let index = ApprovalPath.allCases.firstIndex(of: email.path) ?? 0
            return ("\(index)", email.path.label)
        case .reviewer:
            guard email.path != .auto, let id = email.reviewerID else { return nil }
            let name = email.reviewerName ?? "user \(id)"
            return ("\(name)\u{0}\(id)", name)
        case .week:
            return (email.week, email.week)
        }
    }
}
