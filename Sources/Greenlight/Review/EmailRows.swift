import Foundation
import SQLKit

/// The columns the queue and the email pages read, and how a row becomes an ``EmailSummary``.
enum EmailRows {
    static let columns: SQLQueryString = """
        e.id, e.client_id, c.name AS client_name, e.template_id, e.batch_id, e.contact_name, e.company_name, e.contact_email,
        e.subject, e.body, e.final_body, e.quality_score, e.status, e.metrics_json, e.variables_json, e.generation_note, e.created_at,
        e.claimed_by, e.claim_expires_at, cu.name AS claimed_by_name, e.reviewer_name, e.reviewed_at,
        e.rejection_reason, e.rejection_details, e.gate_phase, e.gate_threshold, e.gate_verdict, e.gate_outcome, e.auto_block, e.grounding_json,
        e.export_campaign_id, e.export_campaign_name, e.sequencer_lead_id, e.sent_at, e.export_error
        """

    static let userJoins: SQLQueryString = "LEFT JOIN users cu ON cu.id = e.claimed_by"

    static func summary(from row: any SQLRow, now: Int) throws -> EmailSummary {
        let claimExpires = try row.decode(column: "claim_expires_at", as: Int?.self)
        let claimActive = (claimExpires ?? 0) > now
        let statusText = try row.decode(column: "status", as: String.self)
        guard let status = ReviewStatus(rawValue: statusText) else { throw StorageError("unknown review status \(statusText)") }
        return EmailSummary(
            id: try row.decode(column: "id", as: Int.self),
            clientID: try row.decode(column: "client_id", as: Int.self),
            clientName: try row.decode(column: "client_name", as: String.self),
            templateID: try row.decode(column: "template_id", as: Int.self),
            batchID: try row.decode(column: "batch_id", as: Int.self),
            contactName: try row.decode(column: "contact_name", as: String.self),
            companyName: try row.decode(column: "company_name", as: String.self),
            contactEmail: try row.decode(column: "contact_email", as: String.self),
            subject: try row.decode(column: "subject", as: String.self),
            body: try row.decode(column: "body", as: String.self),
            finalBody: try row.decode(column: "final_body", as: String?.self),
            qualityScore: try row.decode(column: "quality_score", as: Int.self),
            status: status,
            score: try JSONText.decode(QualityScore.self, from: row.decode(column: "metrics_json", as: String.self)),
            variables: try JSONText.decode([DraftVariable].self, from: row.decode(column: "variables_json", as: String.self)),
            generationNote: try row.decode(column: "generation_note", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Int.self),
            claimedByID: claimActive ? try row.decode(column: "claimed_by", as: Int?.self) : nil,
            claimedByName: claimActive ? try row.decode(column: "claimed_by_name", as: String?.self) : nil,
            reviewerName: try row.decode(column: "reviewer_name", as: String?.self),
            reviewedAt: try row.decode(column: "reviewed_at", as: Int?.self),
            rejectionReason: try row.decode(column: "rejection_reason", as: String?.self).flatMap(RejectionReason.init(rawValue:)),
            rejectionDetails: try row.decode(column: "rejection_details", as: String?.self),
            gate: try Self.gate(from: row),
            grounding: try row.decode(column: "grounding_json", as: String?.self).map { try JSONText.decode([GroundingFlag].self, from: $0) } ?? [],
            export: EmailSummary.ExportRecord(campaignID: try row.decode(column: "export_campaign_id", as: String?.self),
                                              campaignName: try row.decode(column: "export_campaign_name", as: String?.self),
                                              leadID: try row.decode(column: "sequencer_lead_id", as: String?.self),
                                              sentAt: try row.decode(column: "sent_at", as: Int?.self),
                                              error: try row.decode(column: "export_error", as: String?.self))
        )
    }

    static func gate(from row: any SQLRow) throws -> EmailSummary.GateRecord? {
        guard let phase = try row.decode(column: "gate_phase", as: String?.self),
              let threshold = try row.decode(column: "gate_threshold", as: Int?.self),
              let verdict = try row.decode(column: "gate_verdict", as: String?.self),
              let outcome = try row.decode(column: "gate_outcome", as: String?.self) else { return nil }
        return EmailSummary.GateRecord(phase: phase, threshold: threshold, verdict: verdict, outcome: outcome,
                                       autoBlock: try row.decode(column: "auto_block", as: String?.self))
    }
}
