/// The value axis of a chart: from 0 to a "nice" top (1, 2, 2.5 or 5 times a power of ten per
/// step) so tick labels are round numbers, and never a zero-height range to divide by.
struct ChartScale: Sendable, Hashable {
    /// The value drawn at the top of the plot; always finite and greater than 0.
    let top: Double
    /// The tick values, 0 first.
    let ticks: [Double]

    /// A scale that fits `dataMaximum`, or runs to `fixedTop` when one is given (1 for rates).
    init(dataMaximum: Double, fixedTop: Double? = nil, fractional: Bool = true, targetTicks: Int = 4) {
        let step: Double
        let top: Double
        if let fixedTop, fixedTop.isFinite, fixedTop > 0 {
            step = Self.niceStep(fixedTop / Double(targetTicks), fractional: fractional)
            top = fixedTop
        } else {
            let maximum = dataMaximum.isFinite && dataMaximum > 0 ? dataMaximum : 1
            step = Self.niceStep(maximum / Double(targetTicks), fractional: fractional)
            top = (maximum / step).rounded(.up) * step
        }
        self.top = top
        self.ticks = (0...Int((top / step + 1e-9).rounded(.down))).map { Double($0) * step }
    }

    /// `value`'s share of the way from 0 to `top`, clamped into 0…1; non-finite values read 0.
    func fraction(_ value: Double) -> Double {
        guard value.isFinite else { return 0 }
        return min(max(value / top, 0), 1)
    }

    /// The smallest step from 1, 2, 2.5, 5 × 10ⁿ that is at least `raw` (whole steps only unless
    /// `fractional`).
    static func niceStep(_ raw: Double, fractional: Bool) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        let multiples: [Double] = fractional ? [1, 2, 2.5, 5, 10] : [1, 2, 5, 10]
        let step = (multiples.first { $0 * magnitude >= raw * (1 - 1e-9) } ?? 10) * magnitude
        return fractional ? step : max(step.rounded(.up), 1)
    }
}
