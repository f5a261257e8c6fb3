import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Testing
import GreenlightTestSupport

/// The gate's decision for one draft, in every phase, and the sample's rate and reproducibility.
@Suite("Rollout gate")
struct RolloutGateTests {
    static func gate(_ phase: RolloutPhase, paused: Bool = false, rateBP: Int = 500) -> RolloutGate {
        var settings = RolloutSettings()
        settings.sampleSeed = "seed-for-tests"
        settings.sampleRateBP = rateBP
        return RolloutGate(phase: phase, settings: settings, paused: paused)
    }

    @Test("shadow sends everything to review and records what the machine would have done")
    func shadow() {
        let high = Self.gate(.shadow).decide(score: 95, autoBlock: nil, emailID: 1)
        #expect(high == GateDecision(phase: .shadow, threshold: 90, verdict: .auto, outcome: .review))
        #expect(high.status == .pendingReview)
        #expect(Self.gate(.shadow).decide(score: 89, autoBlock: nil, emailID: 1).verdict == .review)
        #expect(Self.gate(.shadow).decide(score: 95, autoBlock: "unfilled", emailID: 1).verdict == .review)
    }

    @Test("partial auto-approves at 90, full at 85; below goes to review; blocked and paused drafts wait for a human")
    func partialAndFull() {
        let unsampled = (1...200).first { !SampleDraw.isSampled(emailID: $0, seed: "seed-for-tests", rateBP: 500) }!
        #expect(Self.gate(.partial).decide(score: 90, autoBlock: nil, emailID: unsampled).status == .approvedAuto)
        #expect(Self.gate(.partial).decide(score: 89, autoBlock: nil, emailID: unsampled).status == .pendingReview)
        #expect(Self.gate(.full).decide(score: 85, autoBlock: nil, emailID: unsampled).status == .approvedAuto)
        #expect(
            Self.gate(.full).decide(score: 84, autoBlock: nil, emailID: unsampled)
                == GateDecision(phase: .full, threshold: 85, verdict: .review, outcome: .review))
        let blocked = Self.gate(.full).decide(score: 99, autoBlock: "a template variable was left unfilled", emailID: unsampled)
        #expect(blocked == GateDecision(phase: .full, threshold: 85, verdict: .review, outcome: .blocked))
        #expect(blocked.status == .pendingReview, "an unfilled variable is never auto-approved")
        let paused = Self.gate(.full, paused: true).decide(score: 99, autoBlock: nil, emailID: unsampled)
        #expect(paused.outcome == .paused && paused.status == .pendingReview && paused.verdict == .auto)
        let sampled = (1...500).first { SampleDraw.isSampled(emailID: $0, seed: "seed-for-tests", rateBP: 500) }!
        #expect(Self.gate(.partial).decide(score: 99, autoBlock: nil, emailID: sampled).status == .sampled)
    }

    @Test("10,000 drafts at 5% hold 5% ± 0.7% back, the same ones every time, different per seed")
    func sampleRate() {
        let held = (1...10_000).filter { SampleDraw.isSampled(emailID: $0, seed: "client-a", rateBP: 500) }
        #expect(abs(Double(held.count) / 10_000 - 0.05) <= 0.007, "held \(held.count) of 10,000")
        #expect(held == (1...10_000).filter { SampleDraw.isSampled(emailID: $0, seed: "client-a", rateBP: 500) })
        let other = (1...10_000).filter { SampleDraw.isSampled(emailID: $0, seed: "client-b", rateBP: 500) }
        #expect(Set(held) != Set(other))
        #expect((1...1_000).allSatisfy { !SampleDraw.isSampled(emailID: $0, seed: "x", rateBP: 0) })
        #expect((1...1_000).allSatisfy { SampleDraw.isSampled(emailID: $0, seed: "x", rateBP: 10_000) })
    }

    @Test("settings refuse values that cannot be used, naming them")
    func validation() throws {
        var settings = RolloutSettings()
        settings.partialThreshold = 101
        #expect(throws: InputError(field: "partial_threshold", "partial_threshold must be a score from 0 to 100, got 101")) {
            try settings.validated()
        }
        var field = try #require(RolloutSettingsFields.named("sample_rate"))
        var edited = RolloutSettings()
        try field.set("0.1", on: &edited)
        #expect(edited.sampleRateBP == 1_000)
        try field.set("7.5%", on: &edited)
        #expect(edited.sampleRateBP == 750)
        #expect(field.text(edited) == "0.075")
        #expect(throws: InputError.self) { try field.set("1.5", on: &edited) }
        #expect(throws: InputError.self) { try field.set("-0.1", on: &edited) }
        field = try #require(RolloutSettingsFields.named("demotion_window"))
        #expect(throws: InputError.self) { try field.set("ten", on: &edited) }
    }
}
