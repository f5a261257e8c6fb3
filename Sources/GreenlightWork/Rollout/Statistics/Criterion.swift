/// One rollout-readiness criterion, such as "approval rate above 95%": the measured
/// value, its interval, the target, and whether the evidence clears it.
///
/// A criterion is met only when the whole interval clears the target, so a lucky streak on a few
/// emails never promotes a client:
/// - ``Status/met``: `low > target` for ``Direction/above``, `high < target` for ``Direction/below``.
/// - ``Status/notEnoughEvidence``: the point value passes but the interval does not clear the
///   target yet (194/200 = 97% for "above 95%": lower bound 93.6%) — or nothing is measured yet
///   (`value` is `nil`), or the interval is unknown (`low`/`high` `nil`, e.g. a mean of one value).
/// - ``Status/notMet``: the point value itself does not pass.
///
/// A criterion on a difference between two groups (``init(name:label:difference:margin:)``) is
/// decided by its interval alone, both ways: met when the whole interval is above the target, not
/// met when the whole interval is below it, and not enough evidence while the interval straddles it
/// — a point value a little under the margin on a few replies proves nothing either way.
///
/// Comparisons are strict, as in the SPEC's "> 95%" and "< 5%": a value exactly at the target
/// does not pass. For an exact figure with no sampling uncertainty (a count of reviewed
/// emails), use ``init(name:label:exact:target:direction:)``, which sets `low = high = value`.
public struct Criterion: Sendable, Hashable {
    /// Which side of the target the value must be on.
    public enum Direction: String, Sendable, Hashable {
        /// The value must be greater than the target (approval rate > 95%).
        case above
        /// The value must be less than the target (edit rate < 5%).
        case below
    }

    /// How the evidence stands against the target.
    public enum Status: String, Sendable, Hashable {
        /// The whole interval clears the target.
        case met
        /// The point value passes (or nothing is measured yet) but the interval does not clear the target.
        case notEnoughEvidence
        /// The point value does not pass.
        case notMet
    }

    /// A stable identifier for code, forms and CSV columns (`approval_rate`).
    public let name: String
    /// What a person reads ("Approval rate").
    public let label: String
    /// The measured value, or `nil` when nothing is measured yet.
    public let value: Double?
    /// The value the criterion must be strictly above or below.
    public let target: Double
    /// Which side of `target` passes.
    public let direction: Direction
    /// How many observations the value rests on.
    public let count: Int
    /// The interval's lower bound, or `nil` when unknown.
    public let low: Double?
    /// The interval's upper bound, or `nil` when unknown.
    public let high: Double?
    /// Not met only when the whole interval fails the target (a difference between two groups),
    /// rather than when the point value does.
    public let decidedByInterval: Bool

    /// A criterion from its parts.
    public init(
        name: String, label: String, value: Double?, target: Double, direction: Direction, count: Int, low: Double?, high: Double?,
        decidedByInterval: Bool = false
    ) {
        self.decidedByInterval = decidedByInterval
        self.name = name
        self.label = label
        self.value = value
        self.target = target
        self.direction = direction
        self.count = count
        self.low = low
        self.high = high
    }

    /// A criterion on a rate, judged by its Wilson interval.
    public init(name: String, label: String, rate: WilsonInterval, target: Double, direction: Direction) {
        self.init(
            name: name, label: label, value: rate.rate, target: target, direction: direction,
            count: rate.trials, low: rate.rate == nil ? nil : rate.low, high: rate.rate == nil ? nil : rate.high)
    }

    /// A criterion on an average, judged by its normal interval.
    public init(name: String, label: String, mean: MeanInterval, target: Double, direction: Direction) {
        self.init(
            name: name, label: label, value: mean.mean, target: target, direction: direction,
            count: mean.count, low: mean.low, high: mean.high)
    }

    /// A criterion on an exact figure (no sampling uncertainty): the interval is the value itself.
    public init(name: String, label: String, exact value: Double, target: Double, direction: Direction) {
        self.init(
            name: name, label: label, value: value, target: target, direction: direction,
            count: 1, low: value, high: value)
    }

    /// A criterion on the difference of two rates, first minus second, which must not be below
    /// −`margin`: "auto-approved emails reply no worse than reviewed ones, by more than 1 point".
    public init(name: String, label: String, difference: NewcombeInterval, margin: Double) {
        self.init(
            name: name, label: label, value: difference.difference, target: -margin, direction: .above,
            count: difference.first.trials + difference.second.trials, low: difference.difference == nil ? nil : difference.low,
            high: difference.difference == nil ? nil : difference.high, decidedByInterval: true)
    }

    /// Where the evidence stands; see the type's documentation for the rule.
    public var status: Status {
        guard let value else { return .notEnoughEvidence }
        if decidedByInterval, let low, let high {
            switch direction {
            case .above: return low > target ? .met : high < target ? .notMet : .notEnoughEvidence
            case .below: return high < target ? .met : low > target ? .notMet : .notEnoughEvidence
            }
        }
        switch direction {
        case .above:
            guard value > target else { return .notMet }
            guard let low, low > target else { return .notEnoughEvidence }
            return .met
        case .below:
            guard value < target else { return .notMet }
            guard let high, high < target else { return .notEnoughEvidence }
            return .met
        }
    }
}
