import GreenlightWork

/// The JSON of `GET /api/v1/outcomes`. Every rate carries its counts and 95% Wilson interval; a group
/// with fewer than `minimum_sent` emails sent has `enough_evidence` false (pages show "not enough
/// evidence yet" instead of its rates).
struct APIOutcomes: Encodable {
    struct Rate: Encodable {
        var count: Int
        /// Absent when nothing was sent.
        var rate: Double?
        var low: Double
        var high: Double

        init(_ rate: OutcomeRate) {
            count = rate.count
            self.rate = rate.interval.rate
            low = rate.interval.low
            high = rate.interval.high
        }
    }

    struct Group: Encodable {
        var group: String
        var sent: Int
        var enough_evidence: Bool
        var reply: Rate
        var positive_reply: Rate
        var bounce: Rate
        var unsubscribe: Rate

        init(label: String, tally: OutcomeTally) {
            group = label
            sent = tally.sent
            enough_evidence = tally.replyRate.enoughEvidence
            reply = Rate(tally.replyRate)
            positive_reply = Rate(tally.positiveReplyRate)
            bounce = Rate(tally.bounceRate)
            unsubscribe = Rate(tally.unsubscribeRate)
        }
    }

    struct Breakdown: Encodable {
        var by: String
        var title: String
        var groups: [Group]
    }

    /// Positive reply rate of auto-approved minus human-approved emails, with Newcombe's interval.
    struct Difference: Encodable {
        var auto_sent: Int
        var human_sent: Int
        /// Absent when either side has no email sent.
        var difference: Double?
        var low: Double
        var high: Double
    }

    var from: String
    var to: String
    var minimum_sent: Int
    var overall: Group
    var auto_versus_human_positive_reply: Difference
    var breakdowns: [Breakdown]

    init(_ figures: OutcomeFigures, range: DashboardRange) {
        from = range.from
        to = range.to
        minimum_sent = OutcomeRate.minimumSent
        overall = Group(label: "all sent emails", tally: figures.overall)
        let difference = figures.autoVersusHuman
        auto_versus_human_positive_reply = Difference(
            auto_sent: difference.first.trials, human_sent: difference.second.trials, difference: difference.difference, low: difference.low,
            high: difference.high)
        breakdowns = figures.breakdowns.map { breakdown in
            Breakdown(
                by: breakdown.dimension.rawValue, title: breakdown.dimension.title,
                groups: breakdown.groups.map { Group(label: $0.label, tally: $0.tally) })
        }
    }
}
