import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import Testing
import GreenlightTestSupport

/// Pins the Wilson interval to the reference table (/work/shared/reference/statistics.md,
/// computed independently in Python with z = 1.959964), to 4 decimals.
@Suite("Wilson interval: the reference table")
struct WilsonIntervalTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let k: Int, n: Int, rate: Double, low: Double, high: Double
        var testDescription: String { "\(k)/\(n)" }
    }

    static let reference: [Row] = [
        Row(k: 194, n: 200, rate: 0.9700, low: 0.9361, high: 0.9862),
        Row(k: 190, n: 200, rate: 0.9500, low: 0.9104, high: 0.9726),
        Row(k: 96, n: 100, rate: 0.9600, low: 0.9016, high: 0.9843),
        Row(k: 19, n: 20, rate: 0.9500, low: 0.7639, high: 0.9911),
        Row(k: 0, n: 50, rate: 0.0000, low: 0.0000, high: 0.0713),
        Row(k: 50, n: 50, rate: 1.0000, low: 0.9287, high: 1.0000),
        Row(k: 9, n: 200, rate: 0.0450, low: 0.0239, high: 0.0833),
    ]

    @Test("every row of the reference table, to 4 decimals", arguments: reference)
    func referenceRow(_ row: Row) throws {
        let interval = WilsonInterval(successes: row.k, trials: row.n)
        let rate = try #require(interval.rate)
        #expect(abs(rate - row.rate) < 0.00005)
        #expect(abs(interval.low - row.low) < 0.00005)
        #expect(abs(interval.high - row.high) < 0.00005)
        #expect(interval.low <= rate && rate <= interval.high)
    }

    @Test("1 of 25 by hand: centre 0.116829, half 0.108643, d 1.153658 → 0.0071 … 0.1954")
    func handComputed() {
        // p = 0.04; z² = 3.841459; d = 1 + 3.841459/25 = 1.153658; centre = 0.04 + 3.841459/50
        // = 0.116829; half = 1.959964·√(0.04·0.96/25 + 3.841459/2500) = 0.108643.
        let interval = WilsonInterval(successes: 1, trials: 25)
        #expect(abs(interval.low - 0.0071) < 0.00005)
        #expect(abs(interval.high - 0.1954) < 0.00005)
    }

    @Test("no trials: rate unknown, the interval is the whole range 0…1")
    func noTrials() {
        let interval = WilsonInterval(successes: 0, trials: 0)
        #expect(interval.rate == nil)
        #expect(interval.low == 0)
        #expect(interval.high == 1)
    }

    @Test("all or nothing gives exact 1 and 0 bounds; out-of-range counts are clamped")
    func boundsAndClamping() {
        #expect(WilsonInterval(successes: 50, trials: 50).high == 1)
        #expect(WilsonInterval(successes: 0, trials: 50).low == 0)
        let tooMany = WilsonInterval(successes: 60, trials: 50)
        #expect(tooMany.successes == 50)
        #expect(tooMany.rate == 1)
        let negative = WilsonInterval(successes: -3, trials: 50)
        #expect(negative.successes == 0)
        #expect(negative.rate == 0)
        #expect(WilsonInterval(successes: 1, trials: -1).rate == nil)
    }

    @Test("a wider z gives a wider interval")
    func widerZ() {
        let ninetyFive = WilsonInterval(successes: 194, trials: 200)
        let ninetyNine = WilsonInterval(successes: 194, trials: 200, z: 2.575829)
        #expect(ninetyNine.low < ninetyFive.low)
        #expect(ninetyNine.high > ninetyFive.high)
    }
}
