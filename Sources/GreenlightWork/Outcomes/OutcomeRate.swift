/// One outcome rate among sent emails (replies, positive replies, bounces or unsubscribes of the
/// emails sent), with its Wilson interval, and whether enough emails were sent to read it.
///
/// Below ``minimumSent`` sent emails a rate is "not enough evidence yet": 1 reply in 8 is 12.5%, but
/// its 95% interval runs from 2.2% to 47.1%, which tells a manager nothing. 20 is where the reference
/// table starts (19 of 20: 76.4% to 99.1%) and still lets a small client's weekly figures show.
public struct OutcomeRate: Sendable, Hashable {
    /// Fewer emails sent than this and the rate is not shown as a figure.
    public static let minimumSent = 20

    /// The emails with the outcome (successes) of those sent (trials), with the Wilson interval.
    public let interval: WilsonInterval

    /// The rate of `count` among `sent` emails.
    public init(count: Int, sent: Int) {
        interval = WilsonInterval(successes: count, trials: sent)
    }

    /// Emails with the outcome.
    public var count: Int { interval.successes }
    /// Emails sent.
    public var sent: Int { interval.trials }
    /// Whether at least ``minimumSent`` emails were sent.
    public var enoughEvidence: Bool { sent >= Self.minimumSent }
}
