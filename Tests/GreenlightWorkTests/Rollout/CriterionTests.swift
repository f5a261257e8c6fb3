import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import Testing
import GreenlightTestSupport

/// Readiness criteria against readings worked out by hand from the reference Wilson table.
@Suite("Criterion: met, not enough evidence, not met")
struct CriterionTests {
    func rate(_ k: Int, of n: Int, _ direction: Criterion.Direction, _ target: Double) -> Criterion.Status {
        Criterion(name: "rate", label: "Rate", rate: WilsonInterval(successes: k, trials: n), target: target, direction: direction).status
    }

    @Test("194/200 (97%, low 93.61%) for > 95%: passes on the point value only — not enough evidence")
    func reference194() {
        #expect(rate(194, of: 200, .above, 0.95) == .notEnoughEvidence)
    }

    @Test("9/200 (4.5%, high 8.33%) for < 5%: not enough evidence")
    func reference9() {
        #expect(rate(9, of: 200, .below, 0.05) == .notEnoughEvidence)
    }

    @Test("50/50 (low 92.87%): met for > 90%, not enough evidence for > 95%")
    func fiftyOfFifty() {
        #expect(rate(50, of: 50, .above, 0.90) == .met)
        #expect(rate(50, of: 50, .above, 0.95) == .notEnoughEvidence)
    }

    @Test("96/100 (low 90.16%) just clears > 90%")
    func justClears() {
        #expect(rate(96, of: 100, .above, 0.90) == .met)
    }

    @Test("0/50 (high 7.13%): met for < 10%, not enough evidence for < 5%")
    func zeroOfFifty() {
        #expect(rate(0, of: 50, .below, 0.10) == .met)
        #expect(rate(0, of: 50, .below, 0.05) == .notEnoughEvidence)
    }

    @Test("a value exactly at the target does not pass: 190/200 = 95% for > 95% is not met")
    func atTarget() {
        #expect(rate(190, of: 200, .above, 0.95) == .notMet)
    }

    @Test("a value on the wrong side is not met, whatever the interval: 19/20 for > 96%, 9/200 for < 4%")
    func wrongSide() {
        #expect(rate(19, of: 20, .above, 0.96) == .notMet)
        #expect(rate(9, of: 200, .below, 0.04) == .notMet)
    }

    @Test("nothing measured yet reads not enough evidence, and carries no interval")
    func nothingYet() {
        let criterion = Criterion(
            name: "approval_rate", label: "Approval rate", rate: WilsonInterval(successes: 0, trials: 0), target: 0.95, direction: .above)
        #expect(criterion.value == nil)
        #expect(criterion.low == nil && criterion.high == nil)
        #expect(criterion.count == 0)
        #expect(criterion.status == .notEnoughEvidence)
    }

    @Test("average review time < 60 s: 30…65 s (mean 50, high 62.0) not enough evidence; under 70 s met; one review unknown")
    func reviewTime() {
        let five = MeanInterval(count: 5, sum: 250, sumOfSquares: 13250)
        let under60 = Criterion(name: "review_time", label: "Average review time", mean: five, target: 60, direction: .below)
        #expect(under60.status == .notEnoughEvidence)
        #expect(under60.count == 5)
        #expect(Criterion(name: "review_time", label: "Average review time", mean: five, target: 70, direction: .below).status == .met)
        #expect(Criterion(name: "review_time", label: "Average review time", mean: five, target: 45, direction: .below).status == .notMet)
        let one = MeanInterval(count: 1, sum: 10, sumOfSquares: 100)
        #expect(Criterion(name: "review_time", label: "Average review time", mean: one, target: 60, direction: .below).status == .notEnoughEvidence)
    }

    @Test("an exact figure is judged on its value: 200 reviewed for > 199.5 met, 150 not met")
    func exact() {
        #expect(Criterion(name: "reviewed", label: "Reviewed emails", exact: 200, target: 199.5, direction: .above).status == .met)
        #expect(Criterion(name: "reviewed", label: "Reviewed emails", exact: 150, target: 199.5, direction: .above).status == .notMet)
    }

    func replies(auto: Int, of autoSent: Int, human: Int, of humanSent: Int) -> Criterion {
        Criterion(
            name: "reply_difference", label: "Positive reply rate, auto minus human",
            difference: NewcombeInterval(firstSuccesses: auto, firstTrials: autoSent, secondSuccesses: human, secondTrials: humanSent), margin: 0.01)
    }

    @Test("a difference is decided by its interval alone: 56/70 against 48/80 (0.0524 to 0.3339) is met for 'not worse by 1 point'")
    func differenceMet() {
        let criterion = replies(auto: 56, of: 70, human: 48, of: 80)
        #expect(criterion.status == .met && criterion.count == 150 && criterion.target == -0.01)
        #expect(abs((criterion.low ?? 0) - 0.0524) < 0.00005 && abs((criterion.high ?? 0) - 0.3339) < 0.00005)
    }

    @Test("48/80 against 56/70 (−0.3339 to −0.0524): the whole interval is worse by more than 1 point — not met")
    func differenceNotMet() {
        #expect(replies(auto: 48, of: 80, human: 56, of: 70).status == .notMet)
    }

    @Test("1/12 against 4/34 (−3.4 points, interval −0.1979 to 0.2454): the point is past the margin, the interval is not — not enough evidence")
    func differenceUndecided() {
        let criterion = replies(auto: 1, of: 12, human: 4, of: 34)
        #expect((criterion.value ?? 0) < -0.01, "the point value alone would fail")
        #expect(criterion.status == .notEnoughEvidence)
        #expect(replies(auto: 0, of: 0, human: 4, of: 34).status == .notEnoughEvidence, "nothing auto-approved sent yet")
    }
}
