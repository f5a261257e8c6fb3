/// A mean with its sample standard deviation and 95% normal interval, built from the three sums
/// a SQL query can return in one row: `COUNT(x)`, `SUM(x)` and `SUM(x * x)`.
///
/// Used for averages such as review time and quality score. The interval is
/// `mean ± z·sd/√n`, the normal approximation, which is fair for the sample sizes the dashboard
/// judges (tens to thousands of reviews).
///
/// Edge cases, decided here once:
/// - `count <= 0`: nothing is known — `mean`, `standardDeviation`, `low` and `high` are `nil`.
/// - `count == 1`: the mean is known but the spread is not — `standardDeviation`, `low` and
///   `high` are `nil` ("interval unknown"), so a criterion judged by it reads
///   "not enough evidence".
/// - The variance is computed as `(Σx² − (Σx)²/n) / (n − 1)`; rounding can make that a hair
///   below zero when every value is equal, so it is floored at 0. For the values we average
///   (seconds, 0–100 scores) and counts up to millions, Double keeps this accurate.
public struct MeanInterval: Sendable, Hashable {
    /// How many values were averaged (never negative).
    public let count: Int
    /// The arithmetic mean, or `nil` when there are no values.
    public let mean: Double?
    /// The sample standard deviation (divisor n − 1), or `nil` when `count < 2`.
    public let standardDeviation: Double?
    /// `mean − z·sd/√n`, or `nil` when `count < 2`.
    public let low: Double?
    /// `mean + z·sd/√n`, or `nil` when `count < 2`.
    public let high: Double?

    /// A mean from `COUNT(x)`, `SUM(x)` and `SUM(x * x)`, with its interval for `z` (95% by default).
    public init(count: Int, sum: Double, sumOfSquares: Double, z: Double = WilsonInterval.z95) {
        let n = max(count, 0)
        self.count = n
        guard n > 0 else {
            self.mean = nil
            self.standardDeviation = nil
            self.low = nil
            self.high = nil
            return
        }
        let nn = Double(n)
        let mean = sum / nn
        self.mean = mean
        guard n > 1 else {
            self.standardDeviation = nil
            self.low = nil
            self.high = nil
            return
        }
        let variance = max((sumOfSquares - sum * sum / nn) / (nn - 1), 0)
        let sd = variance.squareRoot()
        let margin = z * sd / nn.squareRoot()
        self.standardDeviation = sd
        self.low = mean - margin
        self.high = mean + margin
    }
}
