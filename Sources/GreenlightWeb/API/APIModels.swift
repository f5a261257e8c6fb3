import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
/// The JSON shapes of the HTTP API (`/api/v1`), keys in snake_case as documented in the README.
struct APIEmailList: Encodable {
    var emails: [APIEmailSummary]
    var next: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(emails, forKey: .emails)
        try container.encode(next, forKey: .next)
    }

    enum CodingKeys: String, CodingKey { case emails, next }
}

struct APIEmailSummary: Encodable {
    var id: Int
    var status: String
    /// Left out for a logged-in reviewer while the email is sampled for blind review.
    var quality_score: Int?
    var contact_name: String
    var contact_email: String
    var company_name: String
    var client_id: Int
    var client: String
    var template_id: Int
    var batch_id: Int
    var subject: String
    var created_at: String
    var claimed_by: String?

    init(_ email: EmailSummary, blind: Bool) {
        id = email.id
        status = email.status.rawValue
        quality_score = blind && email.isBlind ? nil : email.qualityScore
        contact_name = email.contactName
        contact_email = email.contactEmail
        company_name = email.companyName
        client_id = email.clientID
        client = email.clientName
        template_id = email.templateID
        batch_id = email.batchID
        subject = email.subject
        created_at = DateText.iso(email.createdAt)
        claimed_by = email.claimedByName
    }
}

struct APIEmailDetail: Encodable {
    struct Variable: Encodable {
        var name: String
        var value: String
        var confidence: Int
        var fallback_level: Int
        var reasoning: String
    }

    struct Deduction: Encodable {
        var code: String
        var points: Int
        var detail: String
    }

    struct Event: Encodable {
        var action: String
        var by: String?
        var at: String
        var reason: String?
        var details: String?
        var review_ms: Int?
        var before: String?
        var after: String?
    }

    /// What the rollout gate decided (hidden while blind).
    struct Gate: Encodable {
        var phase: String
        var threshold: Int
        var verdict: String
        var outcome: String
        var auto_block: String?
    }

    var id: Int
    var status: String
    /// True while a sampled email awaits a logged-in reviewer's blind review: score and gate are left out, deductions empty.
    var blind: Bool
    var quality_score: Int?
    var gate: Gate?
    var score_version: String
    var word_count: Int
    var contact_name: String
    var contact_email: String
    var company_name: String
    var client_id: Int
    var client: String
    var template_id: Int
    var batch_id: Int
    var subject: String
    var body: String
    var final_body: String?
    var final_subject: String?
    var generation_note: String
    var variables: [Variable]
    var deductions: [Deduction]
    var reviewer: String?
    var reviewed_at: String?
    var rejection_reason: String?
    var rejection_details: String?
    var claimed_by: String?
    var created_at: String
    var export: Export
    /// Words of model-written variables the grounding check found unsupported (empty: none).
    var grounding: [GroundingFlag]
    var history: [Event]

    /// Where the export sent the email (campaign, lead, when), or the error that keeps it approved.
    struct Export: Encodable {
        var campaign_id: String?
        var campaign_name: String?
        var sequencer_lead_id: String?
        var sent_at: String?
        var error: String?
    }

    init(_ email: EmailSummary, history: [ReviewEvent], blind: Bool) {
        let blind = blind && email.isBlind
        id = email.id
        status = email.status.rawValue
        self.blind = blind
        quality_score = blind ? nil : email.qualityScore
        gate =
            blind
            ? nil
            : email.gate.map { Gate(phase: $0.phase, threshold: $0.threshold, verdict: $0.verdict, outcome: $0.outcome, auto_block: $0.autoBlock) }
        score_version = email.score.version
        word_count = email.score.wordCount
        contact_name = email.contactName
        contact_email = email.contactEmail
        company_name = email.companyName
        client_id = email.clientID
        client = email.clientName
        template_id = email.templateID
        batch_id = email.batchID
        subject = email.subject
        body = email.body
        final_body = email.finalBody
        final_subject = email.finalSubject
        generation_note = email.generationNote
        variables = email.variables.map {
            Variable(name: $0.name, value: $0.value, confidence: $0.confidence, fallback_level: $0.fallbackLevel.rawValue, reasoning: $0.reasoning)
        }
        deductions = blind ? [] : email.score.deductions.map { Deduction(code: $0.code, points: $0.points, detail: $0.detail) }
        reviewer = email.reviewerName
        reviewed_at = email.reviewedAt.map(DateText.iso)
        rejection_reason = email.rejectionReason?.rawValue
        rejection_details = email.rejectionDetails
        claimed_by = email.claimedByName
        created_at = DateText.iso(email.createdAt)
        export = Export(
            campaign_id: email.export.campaignID, campaign_name: email.export.campaignName, sequencer_lead_id: email.export.leadID,
            sent_at: email.export.sentAt.map(DateText.iso), error: email.export.error)
        grounding = email.grounding
        self.history = history.map {
            Event(
                action: $0.action, by: $0.userName, at: DateText.iso($0.createdAt), reason: $0.reason, details: $0.details,
                review_ms: $0.reviewMilliseconds, before: $0.beforeText, after: $0.afterText)
        }
    }
}

struct APIEmailDecision: Encodable {
    var id: Int
    var status: String
    var review_ms: Int?
}
