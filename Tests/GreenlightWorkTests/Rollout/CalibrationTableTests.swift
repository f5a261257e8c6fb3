import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import Testing
import GreenlightTestSupport

/// Calibration over a small hand-made data set; every expected figure is worked out below.
///
/// | score | approved | edited | rejected | total |
/// |-------|----------|--------|----------|-------|
/// | 9     | 0        | 0      | 1        | 1     |
/// | 10    | 1        | 0      | 0        | 1     |
/// | 40    | 0        | 1      | 4        | 5     |
/// | 72    | 3        | 2      | 5        | 10    |
/// | 85    | 8        | 1      | 1        | 10    |
/// | 95    | 10       | 0      | 0        | 10    |
/// | 100   | 5        | 0      | 0        | 5     |
/// | all   | 27       | 4      | 11       | 42    |
@Suite("Calibration table: bands, threshold simulation, recommendation")
struct CalibrationTableTests {
    let table = CalibrationTable(countsByScore: [
        9: CalibrationCounts(rejected: 1),
        10: CalibrationCounts(approved: 1),
        40: CalibrationCounts(edited: 1, rejected: 4),
        72: CalibrationCounts(approved: 3, edited: 2, rejected: 5),
        85: CalibrationCounts(approved: 8, edited: 1, rejected: 1),
        95: CalibrationCounts(approved: 10),
        100: CalibrationCounts(approved: 5),
    ])

    func near(_ value: Double?, _ expected: Double) -> Bool {
        guard let value else { return false }
        return abs(value - expected) < 0.00005
    }

    @Test("ten bands, 0–9 … 90–100; edits count as approved; Wilson intervals per band")
    func bands() {
        let bands = table.bands
        #expect(bands.map(\.label) == ["0–9", "10–19", "20–29", "30–39", "40–49", "50–59", "60–69", "70–79", "80–89", "90–100"])
        #expect(bands.map(\.counts.total) == [1, 1, 0, 0, 5, 0, 0, 10, 10, 15])
        // 0–9: 0/1 → 0, 0 … 0.7935. 10–19: 1/1 → 1, 0.2065 … 1. Score 9 and 10 land in different bands.
        #expect(bands[0].approvalRate.rate == 0 && near(bands[0].approvalRate.high, 0.7935))
        #expect(bands[1].approvalRate.rate == 1 && near(bands[1].approvalRate.low, 0.2065))
        // 40–49: 1 edited of 5 → 0.2, 0.0362 … 0.6245.
        #expect(near(bands[4].approvalRate.rate, 0.2) && near(bands[4].approvalRate.low, 0.0362) && near(bands[4].approvalRate.high, 0.6245))
        // 70–79: 3 + 2 of 10 → 0.5, 0.2366 … 0.7634.
        #expect(near(bands[7].approvalRate.rate, 0.5) && near(bands[7].approvalRate.low, 0.2366) && near(bands[7].approvalRate.high, 0.7634))
        // 80–89: 8 + 1 of 10 → 0.9, 0.5958 … 0.9821.
        #expect(near(bands[8].approvalRate.low, 0.5958) && near(bands[8].approvalRate.high, 0.9821))
        // 90–100 takes score 100 too: 15/15 → 1, 0.7961 … 1.
        #expect(bands[9].counts == CalibrationCounts(approved: 15))
        #expect(near(bands[9].approvalRate.low, 0.7961) && bands[9].approvalRate.high == 1)
        // An empty band: no rate, interval 0 … 1.
        #expect(bands[2].approvalRate.rate == nil)
    }

    @Test("T = 90: 15 of 42 auto (0.3571), none rejected, rejection high z²/(15+z²) = 0.2039")
    func simulate90() {
        let simulation = table.simulate(threshold: 90)
        #expect(simulation.decidedCount == 42)
        #expect(simulation.atOrAbove == CalibrationCounts(approved: 15))
        #expect(near(simulation.autoApprovalShare.rate, 0.3571))
        #expect(simulation.rejectionRate.rate == 0)
        #expect(near(simulation.rejectionRate.high, 0.2039))
    }

    @Test("T = 73 … 85 are the same 25 drafts: 23 approved, 1 edited, 1 rejected; rejection 0.04, 0.0071 … 0.1954")
    func simulate73to85() {
        for threshold in [73, 80, 85] {
            let simulation = table.simulate(threshold: threshold)
            #expect(simulation.atOrAbove == CalibrationCounts(approved: 23, edited: 1, rejected: 1))
            #expect(near(simulation.autoApprovalShare.rate, 0.5952))  // 25/42
            #expect(near(simulation.rejectionRate.rate, 0.04))
            #expect(near(simulation.rejectionRate.low, 0.0071))
            #expect(near(simulation.rejectionRate.high, 0.1954))
        }
    }

    @Test("T = 72 takes in the 10 drafts at 72: 35 drafts, 6 rejected → 0.1714, high 0.3268")
    func simulate72() {
        let simulation = table.simulate(threshold: 72)
        #expect(simulation.atOrAbove.total == 35)
        #expect(simulation.atOrAbove.rejected == 6)
        #expect(near(simulation.rejectionRate.high, 0.3268))
    }

    @Test("T = 0 is everything (11 of 42 rejected); out-of-range thresholds are clamped")
    func simulateEdges() {
        let all = table.simulate(threshold: 0)
        #expect(all.atOrAbove == CalibrationCounts(approved: 27, edited: 4, rejected: 11))
        #expect(all.autoApprovalShare.rate == 1)
        #expect(table.simulate(threshold: -5) == all)
        #expect(table.simulate(threshold: 150).threshold == 100)
        #expect(table.simulate(threshold: 150).atOrAbove == CalibrationCounts(approved: 5))
    }

    @Test("recommended threshold: the lowest decided score with its rejection upper bound under the limit")
    func recommendation() {
        // Limit 25%: T 9 → 11/42 rejected, high 0.4107; T 10 → 10/41, high 0.3934; T 40 → 10/40;
        // T 72 → 6/35, high 0.3268; T 85 → 1/25, high 0.1954 < 0.25. Thresholds 73…84 admit the same
        // 25 drafts but also scores 73–84, which no human decided: 85 is recommended, not 73.
        let at25 = table.recommendedThreshold(rejectionLimit: 0.25)
        #expect(at25?.threshold == 85)
        #expect(at25?.atOrAbove.total == 25)
        #expect(near(at25?.rejectionRate.high, 0.1954))
        // Limit 20%: still 85 (0.1954 < 0.20).
        #expect(table.recommendedThreshold(rejectionLimit: 0.20)?.threshold == 85)
        // Limit 15%: T 95 → 0/15 high 0.2039; T 100 → 0/5 high 0.4345; above 100 nothing — none qualifies.
        #expect(table.recommendedThreshold(rejectionLimit: 0.15) == nil)
    }

    @Test("never recommends a threshold below every score humans decided")
    func recommendationStaysWithinEvidence() {
        // 400 drafts scoring 50…99, 8 at each score, 1 in 50 rejected: every threshold up to 50
        // admits the same 400 drafts (8 rejected, high ≈ 0.039 < 0.05), but only 50 was decided.
        var counts: [Int: CalibrationCounts] = [:]
        for score in 50...99 { counts[score] = CalibrationCounts(approved: score % 6 == 0 ? 7 : 8, rejected: score % 6 == 0 ? 1 : 0) }
        let table = CalibrationTable(countsByScore: counts)
        let recommended = table.recommendedThreshold(rejectionLimit: 0.05)
        #expect(recommended?.threshold == 50)
        #expect(recommended?.atOrAbove.total == table.total.total)
        #expect(table.simulate(threshold: 0).atOrAbove == table.simulate(threshold: 50).atOrAbove)
    }

    @Test("no decisions: empty bands, nothing to recommend")
    func empty() {
        let empty = CalibrationTable(countsByScore: [:])
        #expect(empty.bands.allSatisfy { $0.counts.total == 0 && $0.approvalRate.rate == nil })
        #expect(empty.simulate(threshold: 90).autoApprovalShare.rate == nil)
        #expect(empty.recommendedThreshold(rejectionLimit: 0.05) == nil)
    }
}
