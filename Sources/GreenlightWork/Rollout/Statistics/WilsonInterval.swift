/// A rate (k successes of n trials) with its Wilson score interval — the interval that rollout
/// readiness, agreement and calibration figures are judged by.
///
/// Unlike the textbook `p ± z·√(p(1−p)/n)`, the Wilson interval stays inside [0, 1] and stays
/// honest for small `n` and for rates near 0 or 1, which is exactly where promotion decisions sit
/// (194 of 200 approved is 97%, but its lower bound is 93.6%, not yet "above 95%").
///
/// With p = k/n, d = 1 + z²/n, centre = p + z²/(2n) and half = z·√(p(1−p)/n + z²/(4n²)), the
/// interval is ((centre − half)/d, (centre + half)/d).
///
/// Edge cases, decided here once:
/// - `trials <= 0`: nothing is known — `rate` is `nil`, `low` is 0 and `high` is 1 (the whole
///   range), so any criterion judged by the interval reads "not enough evidence".
/// - `successes` is clamped into `0...trials`, so a miscounted query cannot produce a rate above 1.
/// - `low` is exactly 0 when there are no successes and `high` exactly 1 when every trial
///   succeeded (the formula gives those values up to rounding error).
public struct WilsonInterval: Sendable, Hashable {
    /// The default z for a two-sided 95% interval.
    public static let z95 = 1.959964

    /// Successes counted, after clamping into `0...trials`.
    public let successes: Int
    /// Trials counted (never negative).
    public let trials: Int
    /// The point estimate k/n, or `nil` when there were no trials.
    public let rate: Double?
    /// The interval's lower bound, in [0, 1].
    public let low: Double
    /// The interval's upper bound, in [0, 1].
    public let high: Double

    /// The rate of `successes` among `trials`, with the Wilson interval for `z` (95% by default).
    public init(successes: Int, trials: Int, z: Double = WilsonInterval.z95) {
        let n = max(trials, 0)
        let k = min(max(successes, 0), n)
        self.successes = k
        self.trials = n
        guard n > 0 else {
            self.rate = nil
            self.low = 0
            self.high = 1
            return
        }
        let nn = Double(n)
        let p = Double(k) / nn
        let z2 = z * z
        let d = 1 + z2 / nn
        let centre = p + z2 / (2 * nn)
        let half = z * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot()
        self.rate = p
        self.low = k == 0 ? 0 : min(max((centre - half) / d, 0), 1)
        self.high = k == n ? 1 : min(max((centre + half) / d, 0), 1)
    }
}
