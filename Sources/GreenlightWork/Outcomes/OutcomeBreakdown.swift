/// The sent emails of a range broken down by one ``OutcomeDimension``: one group per value met,
/// each with its counts (``OutcomeTally``) and so its four rates, in the dimension's order (score
/// bands low to high, weeks in order, names alphabetically).
public struct OutcomeBreakdown: Sendable, Hashable {
    /// One group of the breakdown.
    public struct Group: Sendable, Hashable {
        /// Sorts the groups; unique within the breakdown.
        public var key: String
        /// How a page names it ("70–79", a template's name, "auto-approved").
        public var label: String
        public var tally: OutcomeTally
    }

    public var dimension: OutcomeDimension
    public var groups: [Group]

    /// The breakdown of `emails` by `dimension`; `weeks` lists every week of the range (for the week
    /// breakdown, so a week without a sent email shows as 0 sent rather than missing).
    public init(_ dimension: OutcomeDimension, emails: [SentEmail], weeks: [String] = []) {
        var groups: [String: Group] = [:]
        if dimension == .week {
            for week in weeks { groups[week] = Group(key: week, label: week, tally: OutcomeTally()) }
        }
        for email in emails {
            guard let (key, label) = dimension.group(of: email) else { continue }
            groups[key, default: Group(key: key, label: label, tally: OutcomeTally())].tally.add(email)
        }
        self.dimension = dimension
        self.groups = groups.values.sorted { $0.key < $1.key }
    }
}
