import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Testing
import GreenlightTestSupport

/// The rollout page's first sentence, and its "about N more human reviews" computed from the intervals.
@Suite("Readiness forecast")
struct ReadinessForecastTests {
    static func rate(_ name: String, _ k: Int, _ n: Int, target: Double, _ direction: Criterion.Direction) -> Criterion {
        Criterion(name: name, label: name, rate: WilsonInterval(successes: k, trials: n), target: target, direction: direction)
    }

    static func reviewed(_ n: Int, min: Int) -> Criterion {
        Criterion(
            name: "reviewed", label: "reviewed", value: Double(n), target: Double(min) - 0.5, direction: .above, count: n, low: Double(n),
            high: Double(n))
    }

    @Test("good rates on too little evidence: the smallest number of reviews that clears every interval at today's rates")
    func moreReviews() throws {
        // 97% approval over 200 reviews: the interval's low end (93.6%) is under 95%.
        let approval = Self.rate("approval_rate", 194, 200, target: 0.95, .above)
        let edits = Self.rate("edit_rate", 4, 200, target: 0.05, .below)
        #expect(approval.status == .notEnoughEvidence)
        let readiness = RolloutReadiness(next: .partial, criteria: [Self.reviewed(200, min: 200), approval, edits], targets: [:])
        let forecast = ReadinessForecast(readiness)
        let more = try #require(forecast.moreReviews)
        // At 97% the interval clears 95% with exactly this many reviews, and not with one fewer.
        func clears(_ n: Int) -> Bool { WilsonInterval(successes: Int((0.97 * Double(n)).rounded()), trials: n).low > 0.95 }
        #expect(clears(200 + more) && !clears(200 + more - 1))
        #expect(more > 200 && more < 2_000)
        #expect(forecast.sentence.hasPrefix("Not yet: the figures look good; about "))
        #expect(forecast.sentence.hasSuffix(" more human reviews will confirm them at today's rates."))
    }

    @Test("too few reviews is counted in reviews; a rate off target is named in words; ready says so")
    func sentences() {
        let fewer = RolloutReadiness(
            next: .partial, criteria: [Self.reviewed(150, min: 200), Self.rate("approval_rate", 150, 150, target: 0.95, .above)], targets: [:])
        #expect(ReadinessForecast(fewer).moreReviews == 50)
        #expect(
            ReadinessForecast(fewer).sentence == "Not yet: the figures look good; about 50 more human reviews will confirm them at today's rates.")

        let off = RolloutReadiness(
            next: .partial, criteria: [Self.reviewed(300, min: 200), Self.rate("edit_rate", 30, 300, target: 0.05, .below)],
            targets: ["edit_rate": "< 5%"])
        #expect(ReadinessForecast(off).sentence == "Not yet: the edit rate (10.0%) is above its target (< 5%).")

        let ready = RolloutReadiness(next: .full, criteria: [Self.rate("auto_rate", 900, 1_000, target: 0.7, .above)], targets: [:])
        #expect(ReadinessForecast(ready).sentence == "Ready for full: every criterion is met with 95% confidence.")

        let drafts = RolloutReadiness(next: .full, criteria: [Self.rate("auto_rate", 15, 20, target: 0.7, .above)], targets: [:])
        #expect(ReadinessForecast(drafts).moreDrafts != nil && ReadinessForecast(drafts).sentence.contains("more drafts"))
        #expect(ReadinessForecast.about(1_234) == "about 1,300" && ReadinessForecast.about(87) == "about 87")
        #expect(ReadinessForecast.words("approval_rate") == "approval rate")
    }
}
