import Foundation
import SQLKit
import GreenlightCore
import GreenlightEmails

/// Eight weeks of review history for the demo client, so the rollout page shows real figures on first
/// start: three reviewers, about 400 drafts decided over 56 days (approvals, a few edits, rejections
/// with reasons, review times), with scores spread so calibration and the shadow verdicts say
/// something. Approval rises with the score; the client stays in shadow, close to ready; the last
/// hour shows one reviewer rubber-stamping. Made from a
/// fixed seed, so every demo shows the same history.
struct DemoHistory {
    static let reviewers = [
        ("Ana Reyes", "ana@greenlight.example"), ("Tom Becker", "tom@greenlight.example"), ("Priya Shah", "priya@greenlight.example"),
    ]
    static let drafts = 400
    static let days = 56
    /// The last drafts were waved through by one reviewer within the hour before the demo started, a
    /// few in under 5 seconds: what the dashboard's rubber-stamp alerts are for.
    static let rubberStampRun = 24

    let database: Database
    let hasher: PasswordHasher
    let clock: TimeSource

    /// Imports and drafts the history contacts, then decides them as the reviewers did, back-dated
    /// from the clock's now.
    func create(clientID: Int, templateID: Int) async throws {
        let now = clock.nowMillis()
        var reviewerIDs: [(Int, String)] = []
        for (name, email) in Self.reviewers {
            let user = try await UserRepository(database: database, hasher: hasher, clock: clock).save(
                email: email, name: name, password: SecureToken.make(), role: .sdr)
            try await ClientAssignments(database: database).assign(userID: user.id, clientID: clientID)
            reviewerIDs.append((user.id, name))
        }
        let industries = ["Logistics", "Wholesale", "Manufacturing", "Healthcare", "Retail", "Hospitality"]
        let titles = ["Head of Finance", "Financial Controller", "CFO", "AP Manager", "Chief Operating Officer"]
        var lines = ["first_name,last_name,email,company_name,website,industry,job_title"]
        for index in 0..<Self.drafts {
            lines.append(
                "Past\(index),Prospect,past\(index)@history\(index / 2).example,History Co \(index / 2),https://history\(index / 2).example,\(industries[index % industries.count]),\(titles[index % titles.count])"
            )
        }
        let report = try await ContactImporter(database: database, clock: clock).importCSV(
            .bytes(Array(lines.joined(separator: "\n").utf8)), fileName: "history.csv", clientID: clientID, templateID: templateID)
        _ = try await DraftGenerator(database: database, clock: clock).generate(batchID: report.batchID)
        let ids = try await database.read { sql in
            try await sql.raw("SELECT id, body FROM generated_emails WHERE batch_id = \(bind: report.batchID) ORDER BY id").all()
                .map { (try $0.decode(column: "id", as: Int.self), try $0.decode(column: "body", as: String.self)) }
        }
        var random = SeededRandom(seed: 20_261_201)
        let reasons: [(RejectionReason, Int)] = [
            (.toneTooCorporate, 4), (.wrongPersona, 3), (.incorrectInfo, 2), (.lowQuality, 2), (.grammarIssues, 1), (.incorrectCompetitor, 1),
            (.other, 1),
        ]
        let dayMillis = 86_400_000
        var plans: [Plan] = []
        for (index, (id, body)) in ids.enumerated() {
            // Older drafts first; a working day's spread of hours.
            let rush = index - (Self.drafts - Self.rubberStampRun)
            var reviewedAt = now - (Self.days * dayMillis) + index * (Self.days * dayMillis / Self.drafts) + random.next(below: 8 * 3_600_000)
            let score = [55, 60, 65, 70, 75, 80, 85, 85, 90, 90, 95, 95, 100][random.next(below: 13)]
            let approveChance = score >= 90 ? 997 : score >= 80 ? 990 : score >= 70 ? 960 : 900
            let approved = rush >= 0 || random.next(below: 1000) < approveChance
            let edited = rush < 0 && approved && random.next(below: 1000) < 30
            var reviewer = reviewerIDs[random.next(below: reviewerIDs.count)]
            var reviewMilliseconds = 12_000 + random.next(below: 45_000) + (edited ? 60_000 : 0)
            if rush >= 0 {
                reviewer = reviewerIDs[1]
                reviewedAt = now - 3_600_000 + rush * 90_000
                reviewMilliseconds = 2_500 + random.next(below: 7_000)
            }
            plans.append(
                Plan(
                    id: id, body: body, score: score, reviewer: Reviewer(id: reviewer.0, name: reviewer.1), reviewedAt: reviewedAt,
                    reviewMilliseconds: reviewMilliseconds,
                    status: edited ? .approvedEdited : approved ? .approved : .rejected,
                    reason: approved ? nil : Self.pick(reasons, &random),
                    finalBody: edited
                        ? body.replacingOccurrences(of: "Best regards", with: "Thanks") + "\n\nP.S. Happy to send the case study first." : nil))
        }
        let decided = plans
        try await database.write { sql in
            for plan in decided {
                let metrics = QualityScore(
                    score: plan.score, version: QualityScore.version, wordCount: plan.body.split(whereSeparator: \.isWhitespace).count,
                    deductions: Self.deductions(toReach: plan.score))
                try await sql.raw(
                    """
                    UPDATE generated_emails SET quality_score = \(bind: plan.score), metrics_json = \(bind: try JSONText.encode(metrics)),
                    gate_verdict = \(bind: plan.score >= 90 ? "auto" : "review"), status = \(bind: plan.status.rawValue), final_body = \(bind: plan.finalBody),
                    reviewer_id = \(bind: plan.reviewer.id), reviewer_name = \(bind: plan.reviewer.name), reviewed_at = \(bind: plan.reviewedAt),
                    review_ms = \(bind: plan.reviewMilliseconds), rejection_reason = \(bind: plan.reason?.rawValue),
                    created_at = \(bind: plan.reviewedAt - plan.reviewMilliseconds - 3_600_000)
                    WHERE id = \(bind: plan.id)
                    """
                ).run()
                try await sql.raw(
                    ReviewEventSQL.insert(
                        emailID: plan.id, clientID: clientID, by: plan.reviewer, action: plan.status.eventAction,
                        before: plan.finalBody == nil ? nil : plan.body, after: plan.finalBody, reason: plan.reason?.rawValue,
                        reviewMilliseconds: plan.reviewMilliseconds, at: plan.reviewedAt)
                ).run()
                if let finalBody = plan.finalBody {
                    try await sql.raw(
                        """
                        INSERT INTO style_corrections (client_id, email_id, user_id, original, edited, created_at)
                        VALUES (\(bind: clientID), \(bind: plan.id), \(bind: plan.reviewer.id), \(bind: plan.body), \(bind: finalBody), \(bind: plan.reviewedAt))
                        """
                    ).run()
                }
            }
        }
    }

    /// One past decision, planned before the transaction that writes it.
    struct Plan: Sendable {
        var id: Int
        var body: String
        var score: Int
        var reviewer: Reviewer
        var reviewedAt: Int
        var reviewMilliseconds: Int
        var status: ReviewStatus
        var reason: RejectionReason?
        var finalBody: String?
    }

    /// Deductions that add up to `100 - score` (55 to 100), in the scorer's own words, naming the
    /// variables that drafting without a model fills from the context pack.
    static func deductions(toReach score: Int) -> [QualityScore.Deduction] {
        let packVariables = ["target_persona", "solve_specific_pain", "competitor_name", "case_study_insight"]
        var left = 100 - score
        var result: [QualityScore.Deduction] = []
        while left >= 10, result.count < packVariables.count {
            let name = packVariables[result.count]
            result.append(
                .init(code: "fallback", points: 10, detail: "\(name) is at fallback level 3 (\(DraftVariable.FallbackLevel.contextPack.label))"))
            left -= 10
        }
        if left >= 5 { result.append(.init(code: "low_confidence", points: 5, detail: "\(packVariables[0]) has low confidence (2/5)")) }
        return result
    }

    static func pick(_ weighted: [(RejectionReason, Int)], _ random: inout SeededRandom) -> RejectionReason {
        var roll = random.next(below: weighted.reduce(0) { $0 + $1.1 })
        for (reason, weight) in weighted {
            if roll < weight { return reason }
            roll -= weight
        }
        return .other
    }
}

/// A small deterministic generator (SplitMix64), so the demo's history is the same on every machine.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next(below bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        value ^= value >> 31
        return Int(value % UInt64(bound))
    }
}
