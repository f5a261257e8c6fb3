/// The difference of two rates, p1 − p2, with Newcombe's hybrid score interval ("method 10",
/// Newcombe, Statistics in Medicine 1998) — how "auto-approved emails reply as well as
/// human-reviewed ones" is judged, not by the two point rates alone.
///
/// Each rate's own 95% Wilson interval (``WilsonInterval``), (l1, u1) and (l2, u2), gives the
/// difference's: with d = p1 − p2, lower = d − √((p1 − l1)² + (u2 − p2)²) and
/// upper = d + √((u1 − p1)² + (p2 − l2)²). It stays inside [−1, 1] and, like Wilson's, stays honest
/// for small samples and rates near 0 or 1 (56/70 against 48/80: 0.2000, 0.0524 to 0.3339).
///
/// Edge case, decided here once: when either side has no trials nothing is known — `difference`
/// is `nil` and the interval is the whole range, −1 to 1.
public struct NewcombeInterval: Sendable, Hashable {
    /// The first rate (p1), e.g. auto-approved emails' positive reply rate.
    public let first: WilsonInterval
    /// The second rate (p2), e.g. human-reviewed emails' positive reply rate.
    public let second: WilsonInterval
    /// p1 − p2, or `nil` when either side has no trials.
    public let difference: Double?
    /// The interval's lower bound, in [−1, 1].
    public let low: Double
    /// The interval's upper bound, in [−1, 1].
    public let high: Double

    /// The difference between `firstSuccesses` of `firstTrials` and `secondSuccesses` of
    /// `secondTrials`, with its interval for `z` (95% by default).
    public init(firstSuccesses: Int, firstTrials: Int, secondSuccesses: Int, secondTrials: Int, z: Double = WilsonInterval.z95) {
        self.init(
            first: WilsonInterval(successes: firstSuccesses, trials: firstTrials, z: z),
            second: WilsonInterval(successes: secondSuccesses, trials: secondTrials, z: z))
    }

    /// The difference between two rates already counted (each with the same z).
    public init(first: WilsonInterval, second: WilsonInterval) {
        self.first = first
        self.second = second
        guard let p1 = first.rate, let p2 = second.rate else {
            self.difference = nil
            self.low = -1
            self.high = 1
            return
        }
        let d = p1 - p2
        let below = ((p1 - first.low) * (p1 - first.low) + (second.high - p2) * (second.high - p2)).squareRoot()
        let above = ((first.high - p1) * (first.high - p1) + (p2 - second.low) * (p2 - second.low)).squareRoot()
        self.difference = d
        self.low = max(d - below, -1)
        self.high = min(d + above, 1)
    }
}
