/// Calibration of the quality score against human decisions : the
/// approval rate by 10-point score band, and for any threshold what share would be
/// auto-approved and how many of those humans rejected — so thresholds are chosen on evidence.
///
/// Built from counts per score, one row per score of
/// `SELECT quality_score, SUM(approved), SUM(edited), SUM(rejected) … GROUP BY quality_score`.
/// Scores are clamped into 0…100. Approved-after-edit counts as approved (the draft went out);
/// only rejections count against a threshold.
public struct CalibrationTable: Sendable, Hashable {
    /// Counts for each score 0…100; index = score.
    public let countsByScore: [CalibrationCounts]

    /// A table from the counts per score; scores outside 0…100 are clamped, repeated scores add up.
    public init(countsByScore: [Int: CalibrationCounts]) {
        var buckets = Array(repeating: CalibrationCounts(), count: 101)
        for (score, counts) in countsByScore {
            let index = min(max(score, 0), 100)
            buckets[index] = buckets[index] + counts
        }
        self.countsByScore = buckets
    }

    /// Every human-decided draft.
    public var total: CalibrationCounts {
        countsByScore.reduce(CalibrationCounts(), +)
    }

    /// The ten bands 0–9, 10–19, …, 80–89 and 90–100, lowest first, including empty ones.
    public var bands: [CalibrationBand] {
        stride(from: 0, through: 90, by: 10).map { lowest in
            let highest = lowest == 90 ? 100 : lowest + 9
            let counts = countsByScore[lowest...highest].reduce(CalibrationCounts(), +)
            return CalibrationBand(lowestScore: lowest, highestScore: highest, counts: counts)
        }
    }

    /// What auto-approving every draft scoring `>= threshold` would have done; the threshold is
    /// clamped into 0…100.
    public func simulate(threshold: Int) -> ThresholdSimulation {
        let t = min(max(threshold, 0), 100)
        let atOrAbove = countsByScore[t...].reduce(CalibrationCounts(), +)
        return ThresholdSimulation(threshold: t, decidedCount: total.total, atOrAbove: atOrAbove)
    }

    /// The lowest score humans have decided whose Wilson upper bound on the rejection rate among
    /// the drafts it would auto-approve is strictly under `rejectionLimit` (0.05 for 5%), with that
    /// simulation; `nil` when no threshold has enough evidence.
    ///
    /// Only decided scores are candidates. Between two of them every threshold simulates the same
    /// drafts, and the lowest of those thresholds would also auto-approve the scores in the gap,
    /// which no human has judged: with every decided draft scoring 50 or more, "0" would pass
    /// drafts scoring 0–49 on no evidence at all. The upper bound is not monotonic in the
    /// threshold (fewer drafts widen the interval), so every candidate is tried from the lowest up
    /// rather than searched by bisection.
    public func recommendedThreshold(rejectionLimit: Double) -> ThresholdSimulation? {
        for threshold in countsByScore.indices where countsByScore[threshold].total > 0 {
            let simulation = simulate(threshold: threshold)
            if simulation.rejectionRate.high < rejectionLimit {
                return simulation
            }
        }
        return nil
    }
}
