import Foundation
import SQLKit

/// The columns the queue and the email pages read (as an ``EmailRecord``), and how a row becomes an ``EmailSummary``.
enum EmailRows {
    static let columns: SQLQueryString = """
        e.id, e.client_id, c.name AS client_name, e.template_id, e.batch_id, e.contact_name, e.company_name, e.contact_email,
        e.subject, e.final_subject, e.body, e.final_body, e.quality_score, e.status, e.metrics_json, e.variables_json, e.generation_note, e.created_at,
        e.claimed_by, e.claim_expires_at, cu.name AS claimed_by_name, e.reviewer_id, e.reviewer_name, e.reviewed_at,
        e.rejection_reason, e.rejection_details, e.gate_phase, e.gate_threshold, e.gate_verdict, e.gate_outcome, e.auto_block, e.grounding_json,
        e.export_campaign_id, e.export_campaign_name, e.sequencer_lead_id, e.sent_at, e.export_error
        """

    static let userJoins: SQLQueryString = "LEFT JOIN users cu ON cu.id = e.claimed_by"

    static func summary(from row: any SQLRow, now: Int) throws -> EmailSummary {
        try EmailRecord(row, now: now).summary()
    }
}
