/// How a chart writes its values — on the axis, beside the bars and in the text alternative.
/// Formatting is fixed-point and locale-independent, so output is deterministic.
public enum ChartValueFormat: Sendable, Hashable {
    /// Whole numbers (counts): `12`. Axis ticks fall on whole numbers.
    case integer
    /// Decimals with a fixed number of places: `.decimal(places: 1)` writes `42.5`.
    case decimal(places: Int)
    /// A fraction 0…1 written as a percentage: `.percent(places: 1)` writes 0.953 as `95.3%`.
    case percent(places: Int)

    /// `value` written in this format.
    public func format(_ value: Double) -> String {
        switch self {
        case .integer: SVGText.fixed(value, decimals: 0)
        case .decimal(let places): SVGText.fixed(value, decimals: places)
        case .percent(let places): SVGText.fixed(value * 100, decimals: places) + "%"
        }
    }

    /// Whether axis ticks may fall between whole numbers.
    var allowsFractionalTicks: Bool {
        if case .integer = self { return false }
        return true
    }
}
