import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import Testing
import GreenlightTestSupport

/// The mean interval from SQL's COUNT, SUM(x) and SUM(x*x), against numbers worked out by hand.
@Suite("Mean interval: from count, sum and sum of squares")
struct MeanIntervalTests {
    @Test("2 and 4: mean 3, variance (20 − 36/2)/1 = 2, sd √2, margin z·√2/√2 = z")
    func twoValues() throws {
        let interval = MeanInterval(count: 2, sum: 6, sumOfSquares: 20)
        #expect(interval.mean == 3)
        let sd = try #require(interval.standardDeviation)
        #expect(abs(sd - 1.414214) < 0.000001)
        let low = try #require(interval.low), high = try #require(interval.high)
        #expect(abs(low - 1.040036) < 0.000001)
        #expect(abs(high - 4.959964) < 0.000001)
    }

    @Test("review times 30, 45, 60, 50, 65 s: mean 50, sd √187.5 = 13.6931, 95% 37.9977 … 62.0023")
    func fiveReviewTimes() throws {
        // Σx = 250, Σx² = 900 + 2025 + 3600 + 2500 + 4225 = 13250; variance = (13250 − 250²/5)/4
        // = 750/4 = 187.5; sd/√n = √(187.5/5) = √37.5 = 6.123724; margin = 1.959964 · 6.123724 = 12.002279.
        let interval = MeanInterval(count: 5, sum: 250, sumOfSquares: 13250)
        #expect(interval.count == 5)
        #expect(interval.mean == 50)
        let sd = try #require(interval.standardDeviation)
        #expect(abs(sd - 13.693064) < 0.000001)
        let low = try #require(interval.low), high = try #require(interval.high)
        #expect(abs(low - 37.997721) < 0.000001)
        #expect(abs(high - 62.002279) < 0.000001)
    }

    @Test("equal values: sd 0 (never NaN from rounding), interval collapses on the mean")
    func equalValues() throws {
        let interval = MeanInterval(count: 3, sum: 0.3, sumOfSquares: 0.03)
        let sd = try #require(interval.standardDeviation)
        #expect(sd >= 0 && sd < 1e-6)
        #expect(!sd.isNaN)
    }

    @Test("one value: the mean is known, the interval is not")
    func oneValue() {
        let interval = MeanInterval(count: 1, sum: 42, sumOfSquares: 1764)
        #expect(interval.mean == 42)
        #expect(interval.standardDeviation == nil)
        #expect(interval.low == nil)
        #expect(interval.high == nil)
    }

    @Test("no values: nothing is known")
    func noValues() {
        let interval = MeanInterval(count: 0, sum: 0, sumOfSquares: 0)
        #expect(interval.mean == nil)
        #expect(interval.standardDeviation == nil)
        #expect(interval.low == nil && interval.high == nil)
    }
}
