import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// Agreement and calibration read from the database match a hand count on a small seeded set (the
/// numbers written out), on both databases.
@Suite("Rollout evidence")
struct RolloutEvidenceTests {
    @Test("kappa and calibration from 8 shadow decisions, counted by hand", arguments: DatabaseDialect.allCases)
    func handCount(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            _ = try await Seed.make(database, contacts: 8)
            let sam = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            let ids = try await ReviewQueue(database: database).page(QueueFilter()).emails.map(\.id).sorted()
            let decider = ReviewDecider(database: database)
            // Machine yes (score 95): approve, approve, approve, reject. Machine no (score 55): approve, edit, reject, reject.
            let plan: [(Int, String, ReviewDecision)] = [
                (95, "auto", .approve), (95, "auto", .approve), (95, "auto", .approve), (95, "auto", .reject(reason: .lowQuality, details: nil)),
                (55, "review", .approve), (55, "review", .edit(body: "Rewritten by hand.")), (55, "review", .reject(reason: .other, details: nil)),
                (55, "review", .reject(reason: .wrongPersona, details: nil)),
            ]
            for (id, (score, verdict, decision)) in zip(ids, plan) {
                try await database.write { sql in
                    try await sql.raw(
                        "UPDATE generated_emails SET quality_score = \(bind: score), gate_verdict = \(bind: verdict) WHERE id = \(bind: id)"
                    ).run()
                }
                _ = try await decider.decide(decision, emailID: id, by: sam.reviewer)
            }
            let clientID = try await Seed.count(database, "SELECT MIN(id) AS n FROM clients")
            let evidence = RolloutEvidence(database: database)
            let agreement = try await evidence.agreement(clientID: clientID, since: 0)
            #expect(agreement.shadow == CohenKappa(a: 3, b: 1, c: 2, d: 2))
            #expect(agreement.sampled.count == 0)
            // p_o = 5/8 = 0.625; p_e = (4/8)(5/8) + (4/8)(3/8) = 0.5; κ = (0.625 − 0.5) / 0.5 = 0.25.
            #expect(abs((agreement.shadow.observedAgreement ?? 0) - 0.625) < 1e-12)
            #expect(abs((agreement.shadow.kappa ?? 0) - 0.25) < 1e-12)

            let calibration = try await evidence.calibration(clientID: clientID, since: 0)
            let top = try #require(calibration.bands.last)
            #expect(top.label == "90–100" && top.counts == CalibrationCounts(approved: 3, edited: 0, rejected: 1) && top.approvalRate.rate == 0.75)
            let low = try #require(calibration.bands.first { $0.lowestScore == 50 })
            #expect(low.counts == CalibrationCounts(approved: 1, edited: 1, rejected: 2) && low.approvalRate.rate == 0.5)
            let at90 = calibration.simulate(threshold: 90)
            #expect(at90.decidedCount == 8 && at90.atOrAbove.total == 4 && at90.atOrAbove.rejected == 1)
            #expect(at90.autoApprovalShare.rate == 0.5 && at90.rejectionRate.rate == 0.25)

            let decisions = try await evidence.humanDecisions(clientID: clientID, since: 0)
            #expect(decisions.reviewed == 8 && decisions.approved == 4 && decisions.edited == 1 && decisions.rejected == 3)
            #expect(decisions.reasons == ["low_quality": 1, "other": 1, "wrong_persona": 1])
        }
    }

    @Test(
        "partial → full reads what prospects answered: auto-approved against human-reviewed positive replies, and replies per score band",
        arguments: DatabaseDialect.allCases)
    func replies(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            // 47 emails sent in November 2026: 13 auto-approved (2 positive replies, one on the 29th), 34 read by a person (4).
            let fixtures = try await OutcomeFixtures.make(database)
            let clock = ManualClock(startingAt: 1_796_601_600_000)  // 7 December 2026
            let evidence = RolloutEvidence(database: database, clock: clock.source)
            let replies = try await evidence.replies(clientID: fixtures.seed.clientID, since: evidence.since(days: 60))
            #expect(replies == RolloutEvidence.Replies(autoSent: 13, autoPositive: 2, humanSent: 34, humanPositive: 4))
            #expect(try await evidence.replies(clientID: fixtures.seed.clientID, since: clock.source.nowMillis()) == RolloutEvidence.Replies())

            var state = try await RolloutRepository(database: database).state(clientID: fixtures.seed.clientID)
            state.phase = .partial
            let readiness = try await RolloutReadiness.measure(state, evidence: evidence)
            let criterion = try #require(readiness.criteria.first { $0.name == "reply_difference" })
            #expect(criterion.label.hasSuffix("(2 of 13 against 4 of 34)"), "\(criterion.label)")
            // 2/13 − 4/34 = +0.0362, Newcombe −0.1490 to 0.3139 (worked in Python, z = 1.959964): undecided.
            #expect(abs((criterion.value ?? 0) - 0.0362) < 0.00005 && abs((criterion.low ?? 0) + 0.1490) < 0.00005)
            #expect(abs((criterion.high ?? 0) - 0.3139) < 0.00005)
            #expect(criterion.status == .notEnoughEvidence && criterion.target == -0.01)
            #expect(readiness.targets["reply_difference"] == "> −1 pt")
            #expect(ReadinessForecast(readiness).sentence.contains("the replies to more sent emails"), "\(ReadinessForecast(readiness).sentence)")

            // Whether the score predicts replies: 70–79 sent 30, 6 replied; 90–100 sent 17, 4 replied.
            let bands = try await evidence.calibration(clientID: fixtures.seed.clientID, since: 0).bands
            let seventies = try #require(bands.first { $0.lowestScore == 70 })
            #expect(seventies.counts.sent == 30 && seventies.counts.replied == 6)
            #expect(abs(seventies.replyRate.low - 0.0951) < 0.00005 && abs(seventies.replyRate.high - 0.3731) < 0.00005)
            #expect(bands.first { $0.lowestScore == 90 }.map { ($0.counts.sent, $0.counts.replied) } ?? (0, 0) == (17, 4))
            #expect(bands.filter { $0.lowestScore < 70 }.allSatisfy { $0.counts.sent == 0 && $0.replyRate.rate == nil })
        }
    }
}
