import GreenlightWork
import Testing

/// Pins Newcombe's difference interval to the reference table (/work/shared/reference/statistics.md,
/// computed independently in Python with z = 1.959964), to 4 decimals.
@Suite("Newcombe interval: the reference table")
struct NewcombeIntervalTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let x1: Int, n1: Int, x2: Int, n2: Int, d: Double, low: Double, high: Double
        var testDescription: String { "\(x1)/\(n1) − \(x2)/\(n2)" }
    }

    static let reference: [Row] = [
        Row(x1: 56, n1: 70, x2: 48, n2: 80, d: 0.2000, low: 0.0524, high: 0.3339),
        Row(x1: 9, n1: 10, x2: 3, n2: 10, d: 0.6000, low: 0.1705, high: 0.8090),
        Row(x1: 30, n1: 1000, x2: 34, n2: 1000, d: -0.0040, low: -0.0199, high: 0.0117),
        Row(x1: 45, n1: 1500, x2: 40, n2: 1000, d: -0.0100, low: -0.0259, high: 0.0044),
    ]

    @Test("every row of the reference table, to 4 decimals", arguments: reference)
    func referenceRow(_ row: Row) throws {
        let interval = NewcombeInterval(firstSuccesses: row.x1, firstTrials: row.n1, secondSuccesses: row.x2, secondTrials: row.n2)
        let difference = try #require(interval.difference)
        #expect(abs(difference - row.d) < 0.00005)
        #expect(abs(interval.low - row.low) < 0.00005)
        #expect(abs(interval.high - row.high) < 0.00005)
        #expect(interval.low <= difference && difference <= interval.high)
    }

    @Test("a side without trials: no difference, the whole range")
    func empty() {
        let interval = NewcombeInterval(firstSuccesses: 0, firstTrials: 0, secondSuccesses: 3, secondTrials: 10)
        #expect(interval.difference == nil && interval.low == -1 && interval.high == 1)
    }

    @Test("swapping the sides mirrors the interval")
    func mirrored() throws {
        let forward = NewcombeInterval(firstSuccesses: 9, firstTrials: 10, secondSuccesses: 3, secondTrials: 10)
        let backward = NewcombeInterval(firstSuccesses: 3, firstTrials: 10, secondSuccesses: 9, secondTrials: 10)
        #expect(abs(forward.low + backward.high) < 1e-12 && abs(forward.high + backward.low) < 1e-12)
    }
}
