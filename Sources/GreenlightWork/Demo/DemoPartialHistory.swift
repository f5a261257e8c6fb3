import Foundation
import SQLKit
import GreenlightCore
import GreenlightEmails

/// The demo's second client, Northwind Ledger Nordics, eight weeks along the rollout: four weeks of
/// shadow reviews, then promoted to partial four weeks ago — drafts scoring 90 or more approved by the
/// gate (5% held back for blind review), the rest reviewed — and a prompt experiment running for
/// three weeks ("Question opener" on half the contacts). Every draft is decided; the older approvals
/// went out weekly and their outcomes came back (``DemoOutcomes``), so the rollout page shows the
/// outcome criterion (auto-approved against reviewed positive replies) and the prompts page and the
/// dashboard compare the two versions. From a fixed seed, so every demo shows the same.
struct DemoPartialHistory {
    static let name = "Northwind Ledger Nordics"
    static let drafts = 360
    static let days = 56
    static let variant = PromptVersion(
        name: "Question opener", instructions: "Open with one short question about the prospect's month-end close, then the rest as usual.")

    let database: Database
    let clock: TimeSource

    /// Makes the client from the demo's pack and template, drafts its history contacts and decides them.
    func create(profile: ClientProfile, pack: ContextPack, template: EmailTemplate) async throws {
        var profile = profile
        profile.name = Self.name
        profile.timezone = "Europe/Stockholm"
        let clients = ClientRepository(database: database, clock: clock)
        let clientID = try await clients.save(profile: profile, pack: pack)
        let templateID = try await TemplateRepository(database: database, clock: clock).save(template, clientID: clientID)
        let now = clock.nowMillis()
        let day = 86_400_000
        let promotedAt = now - 28 * day
        let experimentAt = now - 21 * day
        let reviewers = try await database.read { sql in
            try await sql.raw(
                "SELECT id, name FROM users WHERE email IN (\(binds: DemoHistory.reviewers.map(\.1))) ORDER BY id"
            ).all().map { Reviewer(id: try $0.decode(column: "id", as: Int.self), name: try $0.decode(column: "name", as: String.self)) }
        }
        for reviewer in reviewers { try await ClientAssignments(database: database).assign(userID: reviewer.id ?? 0, clientID: clientID) }
        guard !reviewers.isEmpty else { throw StorageError("the demo's reviewers are made before its second client") }

        var lines = ["first_name,last_name,email,company_name,website,industry,job_title"]
        for index in 0..<Self.drafts {
            lines.append(
                "Nordic\(index),Prospect,nordic\(index)@nordic\(index / 2).example,Nordic Co \(index / 2),https://nordic\(index / 2).example,Logistics,Head of Finance"
            )
        }
        let report = try await ContactImporter(database: database, clock: clock).importCSV(
            .bytes(Array(lines.joined(separator: "\n").utf8)), fileName: "nordic-history.csv", clientID: clientID, templateID: templateID)
        _ = try await DraftGenerator(database: database, clock: clock).generate(batchID: report.batchID)
        let ids = try await database.read { sql in
            try await sql.raw("SELECT id, body, contact_email FROM generated_emails WHERE batch_id = \(bind: report.batchID) ORDER BY id").all()
                .map {
                    (
                        id: try $0.decode(column: "id", as: Int.self), body: try $0.decode(column: "body", as: String.self),
                        email: try $0.decode(column: "contact_email", as: String.self)
                    )
                }
        }

        // The promotion and the experiment, each recorded at its time, by the demo's manager.
        let manager = Reviewer(id: nil, name: "Demo Reviewer")
        _ = try await RolloutRepository(database: database, clock: TimeSource { promotedAt }).changePhase(
            clientID: clientID, from: .shadow, to: .partial, action: .promote, by: manager,
            reason: "four weeks of shadow reviews met the targets")
        let experiment = try await PromptExperiments(database: database, clock: TimeSource { experimentAt }).start(
            clientID: clientID, variant: Self.variant, variantShareBP: 5_000, by: manager)
        let seed = try await database.read { sql in
            try await sql.raw("SELECT sample_seed FROM rollout_settings WHERE client_id = \(bind: clientID)").first()?.decode(
                column: "sample_seed", as: String.self) ?? ""
        }

        let reasons: [RejectionReason] = [.toneTooCorporate, .wrongPersona, .incorrectInfo, .lowQuality]
        try await database.write { sql in
            var random = SeededRandom(seed: 20_261_208)
            for (index, draft) in ids.enumerated() {
                let createdAt = now - Self.days * day + index * (Self.days * day / Self.drafts) + random.next(below: 6 * 3_600_000)
                let score = [60, 70, 75, 80, 85, 88, 90, 92, 95, 95, 98, 100][random.next(below: 12)]
                let partial = createdAt >= promotedAt
                let sampled = partial && score >= 90 && SampleDraw.isSampled(emailID: draft.id, seed: seed, rateBP: 500)
                let auto = partial && score >= 90 && !sampled
                let approved = auto || random.next(below: 1000) < (score >= 90 ? 990 : score >= 80 ? 965 : 900)
                let edited = !auto && approved && random.next(below: 1000) < 25
                let reviewer = auto ? nil : reviewers[random.next(below: reviewers.count)]
                let reviewedAt = auto ? nil : createdAt + 3_600_000 + random.next(below: 20 * 3_600_000)
                let status: ReviewStatus = auto ? .approvedAuto : edited ? .approvedEdited : approved ? .approved : .rejected
                let reason = approved ? nil : reasons[random.next(below: reasons.count)]
                let finalBody = edited ? draft.body.replacingOccurrences(of: "Best regards", with: "Thanks") : nil
                let metrics = QualityScore(
                    score: score, version: QualityScore.version, wordCount: draft.body.split(whereSeparator: \.isWhitespace).count,
                    deductions: DemoHistory.deductions(toReach: score))
                let arm = createdAt >= experimentAt ? experiment.arm(for: draft.email) : nil
                let promptVersion = arm.map { experiment.version($0).label(agents: AgentPrompt.version) } ?? AgentPrompt.version
                let outcome = partial ? (auto ? "auto" : sampled ? "sampled" : "review") : "review"
                try await sql.raw(
                    """
                    UPDATE generated_emails SET quality_score = \(bind: score), metrics_json = \(bind: try JSONText.encode(metrics)),
                    gate_phase = \(bind: partial ? "partial" : "shadow"), gate_threshold = 90, gate_verdict = \(bind: score >= 90 ? "auto" : "review"),
                    gate_outcome = \(bind: outcome), status = \(bind: status.rawValue), final_body = \(bind: finalBody),
                    reviewer_id = \(bind: reviewer?.id), reviewer_name = \(bind: reviewer?.name), reviewed_at = \(bind: reviewedAt),
                    review_ms = \(bind: reviewer == nil ? nil : 10_000 + random.next(below: 40_000)), rejection_reason = \(bind: reason?.rawValue),
                    experiment_id = \(bind: arm == nil ? nil : experiment.id), experiment_arm = \(bind: arm?.rawValue), prompt_version = \(bind: promptVersion),
                    created_at = \(bind: createdAt)
                    WHERE id = \(bind: draft.id)
                    """
                ).run()
                try await sql.raw(
                    ReviewEventSQL.insert(
                        emailID: draft.id, clientID: clientID, by: reviewer ?? RolloutGate.actor, action: auto ? "auto_approve" : status.eventAction,
                        before: finalBody == nil ? nil : draft.body, after: finalBody,
                        reason: auto ? "score \(score) ≥ 90 in partial" : reason?.rawValue,
                        at: reviewedAt ?? createdAt)
                ).run()
            }
        }
        try await DemoOutcomes(database: database, clock: clock).create(clientID: clientID)
    }
}
