import Foundation
import GreenlightEmails

/// The rollout page's first sentence: whether a client is ready for its next phase, and when it is
/// not only for want of evidence, about how many more observations would confirm what it shows —
/// the smallest number that, at the rates measured so far, brings every interval clear of its target.
public struct ReadinessForecast: Sendable, Equatable {
    /// "Ready: …", or "Not yet: …".
    public var sentence: String
    /// More human reviews needed at today's rates (nil: none, or not computable).
    public var moreReviews: Int?
    /// More new drafts needed at today's rates (partial's auto-approval rate).
    public var moreDrafts: Int?

    /// The most this looks ahead: beyond it, "more than 100,000" says enough.
    static let horizon = 100_000

    public init(_ readiness: RolloutReadiness) {
        guard let next = readiness.next else {
            self.init(sentence: "Full automation: the blind sample and the demotion guard keep watch.", moreReviews: nil, moreDrafts: nil)
            return
        }
        if readiness.ready {
            self.init(sentence: "Ready for \(next.rawValue): every criterion is met with 95% confidence.", moreReviews: nil, moreDrafts: nil)
            return
        }
        // Too few reviews is a want of evidence, like an interval not yet clear: counted below.
        let off = readiness.criteria.filter { $0.status == .notMet && $0.name != "reviewed" }
        if !off.isEmpty {
            let parts = off.map { criterion in
                "the \(Self.words(criterion.name)) (\(RolloutReadiness.figure(criterion, criterion.value))) is \(criterion.direction == .above ? "below" : "above") its target (\(readiness.targets[criterion.name] ?? RolloutReadiness.figure(criterion, criterion.target)))"
            }
            self.init(sentence: "Not yet: " + Self.joined(parts) + ".", moreReviews: nil, moreDrafts: nil)
            return
        }
        var reviews = 0, drafts = 0
        var replies = false
        for criterion in readiness.criteria where criterion.status != .met {
            // Replies come from prospects, not reviewers: no count of reviews brings them sooner.
            if criterion.name == "reply_difference" {
                replies = true
                continue
            }
            guard let more = Self.more(criterion) else { continue }
            if criterion.name == "auto_rate" { drafts = max(drafts, more) } else { reviews = max(reviews, more) }
        }
        var needs: [String] = []
        if reviews > 0 { needs.append("\(Self.about(reviews)) more human review\(reviews == 1 ? "" : "s")") }
        if drafts > 0 { needs.append("\(Self.about(drafts)) more draft\(drafts == 1 ? "" : "s")") }
        if replies { needs.append("the replies to more sent emails") }
        let measured = readiness.criteria.contains { $0.value != nil && $0.count > 0 }
        guard !needs.isEmpty else {
            self.init(
                sentence: "Not yet: the figures look good, but not every interval clears its target; more human reviews will tell.", moreReviews: nil,
                moreDrafts: nil)
            return
        }
        self.init(
            sentence: "Not yet: " + (measured ? "the figures look good; " : "nothing measured yet; ") + Self.joined(needs)
                + " will \(measured ? "confirm them" : "tell") at today's rates.",
            moreReviews: reviews > 0 ? reviews : nil, moreDrafts: drafts > 0 ? drafts : nil)
    }

    init(sentence: String, moreReviews: Int?, moreDrafts: Int?) {
        self.sentence = sentence
        self.moreReviews = moreReviews
        self.moreDrafts = moreDrafts
    }

    /// How many more observations, at the measured value, bring the criterion's interval clear of its
    /// target (``horizon`` when not within it); nil when that cannot be said in reviews (nothing
    /// measured, an average without spread, a share among rejections).
    static func more(_ criterion: Criterion) -> Int? {
        switch criterion.name {
        case "reviewed":
            return max(0, Int((criterion.target + 0.5).rounded()) - criterion.count)
        case "review_time":
            guard let mean = criterion.value, let high = criterion.high, criterion.count > 1, high > mean, criterion.target > mean else { return nil }
            // The half-width shrinks as 1/√n: n·((high − mean)/(target − mean))² observations clear it.
            let needed = Double(criterion.count) * pow((high - mean) / (criterion.target - mean), 2)
            return min(horizon, max(1, Int(needed.rounded(.up)) - criterion.count))
        default:
            // A share among rejections grows with rejections, a fraction of each review: left to the
            // reviews the other criteria ask for.
            guard criterion.name != "reason_share", let rate = criterion.value, criterion.count > 0 else { return nil }
            func clears(_ trials: Int) -> Bool {
                let interval = WilsonInterval(successes: Int((rate * Double(trials)).rounded()), trials: trials)
                return criterion.direction == .above ? interval.low > criterion.target : interval.high < criterion.target
            }
            var high = max(1, criterion.count)
            while !clears(high) {
                if high >= horizon { return horizon }
                high = min(horizon, high * 2)
            }
            var low = criterion.count
            while low + 1 < high {
                let middle = (low + high) / 2
                if clears(middle) { high = middle } else { low = middle }
            }
            return max(1, high - criterion.count)
        }
    }

    /// A criterion's name in words, for sentences and messages ("approval rate", not `approval_rate`).
    public static func words(_ name: String) -> String {
        switch name {
        case "reviewed": "number of human-reviewed drafts"
        case "approval_rate": "approval rate"
        case "edit_rate": "edit rate"
        case "review_time": "average review time"
        case "reason_share": "share of the largest rejection reason"
        case "auto_rate": "auto-approval rate"
        case "rejection_rate": "rejection rate"
        case "reply_difference": "positive reply rate of auto-approved emails against human-reviewed ones"
        default: name.replacingOccurrences(of: "_", with: " ")
        }
    }

    /// "about 120" (rounded to two significant figures above 100), or "more than 100,000".
    static func about(_ count: Int) -> String {
        if count >= horizon { return "more than 100,000" }
        guard count > 100 else { return "about \(count)" }
        let scale = Int(pow(10, floor(log10(Double(count))) - 1))
        let rounded = (count + scale - 1) / scale * scale
        let digits = String(rounded)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return "about " + text
    }

    static func joined(_ parts: [String]) -> String {
        switch parts.count {
        case 0: ""
        case 1: parts[0]
        default: parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1]
        }
    }
}

extension RolloutReadiness {
    /// A criterion's figure as people read it: a rate in %, a time in seconds, a count.
    public static func figure(_ criterion: Criterion, _ value: Double?) -> String {
        guard let value else { return "—" }
        switch criterion.name {
        case "reviewed": return String(Int(value.rounded()))
        case "review_time": return String(format: "%.1f s", value)
        case "reply_difference": return (value < 0 ? "−" : "+") + String(format: "%.1f pt", abs(value) * 100)
        default: return String(format: "%.1f%%", value * 100)
        }
    }
}
