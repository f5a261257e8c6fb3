import SQLKit
import GreenlightCore
import GreenlightEmails

/// One email's columns exactly as the queue read them, before any JSON is decoded.
///
/// Two records are equal only when everything a card shows is equal, so the queue's card cache
/// (``CardCache``) keys its rendered cards by the record itself: any change to the email — a decision,
/// an edit, a claim taken or run out, an export — makes a different record and a fresh card.
/// The claim is kept as it stands at the moment of reading (nil once expired).
public struct EmailRecord: Hashable, Sendable {
    public var id: Int
    var clientID: Int
    var clientName: String
    var templateID: Int
    var batchID: Int
    var contactName: String
    var companyName: String
    var contactEmail: String
    var subject: String
    var finalSubject: String?
    var body: String
    var finalBody: String?
    var qualityScore: Int
    package var status: String
    var metricsJSON: String
    var variablesJSON: String
    var generationNote: String
    var createdAt: Int
    package var claimedBy: Int?
    var claimedByName: String?
    package var reviewerID: Int?
    var reviewerName: String?
    var reviewedAt: Int?
    var rejectionReason: String?
    var rejectionDetails: String?
    var gatePhase: String?
    var gateThreshold: Int?
    var gateVerdict: String?
    var gateOutcome: String?
    var autoBlock: String?
    var groundingJSON: String?
    var exportCampaignID: String?
    var exportCampaignName: String?
    var sequencerLeadID: String?
    var sentAt: Int?
    var exportError: String?

    /// Reads the columns of ``EmailRows/columns``; a claim that expired by `now` counts as none.
    init(_ row: any SQLRow, now: Int) throws {
        let claimActive = (try row.decode(column: "claim_expires_at", as: Int?.self) ?? 0) > now
        id = try row.decode(column: "id", as: Int.self)
        clientID = try row.decode(column: "client_id", as: Int.self)
        clientName = try row.decode(column: "client_name", as: String.self)
        templateID = try row.decode(column: "template_id", as: Int.self)
        batchID = try row.decode(column: "batch_id", as: Int.self)
        contactName = try row.decode(column: "contact_name", as: String.self)
        companyName = try row.decode(column: "company_name", as: String.self)
        contactEmail = try row.decode(column: "contact_email", as: String.self)
        subject = try row.decode(column: "subject", as: String.self)
        finalSubject = try row.decode(column: "final_subject", as: String?.self)
        body = try row.decode(column: "body", as: String.self)
        finalBody = try row.decode(column: "final_body", as: String?.self)
        qualityScore = try row.decode(column: "quality_score", as: Int.self)
        status = try row.decode(column: "status", as: String.self)
        metricsJSON = try row.decode(column: "metrics_json", as: String.self)
        variablesJSON = try row.decode(column: "variables_json", as: String.self)
        generationNote = try row.decode(column: "generation_note", as: String.self)
        createdAt = try row.decode(column: "created_at", as: Int.self)
        claimedBy = claimActive ? try row.decode(column: "claimed_by", as: Int?.self) : nil
        claimedByName = claimActive ? try row.decode(column: "claimed_by_name", as: String?.self) : nil
        reviewerID = try row.decode(column: "reviewer_id", as: Int?.self)
        reviewerName = try row.decode(column: "reviewer_name", as: String?.self)
        reviewedAt = try row.decode(column: "reviewed_at", as: Int?.self)
        rejectionReason = try row.decode(column: "rejection_reason", as: String?.self)
        rejectionDetails = try row.decode(column: "rejection_details", as: String?.self)
        gatePhase = try row.decode(column: "gate_phase", as: String?.self)
        gateThreshold = try row.decode(column: "gate_threshold", as: Int?.self)
        gateVerdict = try row.decode(column: "gate_verdict", as: String?.self)
        gateOutcome = try row.decode(column: "gate_outcome", as: String?.self)
        autoBlock = try row.decode(column: "auto_block", as: String?.self)
        groundingJSON = try row.decode(column: "grounding_json", as: String?.self)
        exportCampaignID = try row.decode(column: "export_campaign_id", as: String?.self)
        exportCampaignName = try row.decode(column: "export_campaign_name", as: String?.self)
        sequencerLeadID = try row.decode(column: "sequencer_lead_id", as: String?.self)
        sentAt = try row.decode(column: "sent_at", as: Int?.self)
        exportError = try row.decode(column: "export_error", as: String?.self)
    }

    /// Where the queue stands after this email.
    public var cursor: QueueCursor { QueueCursor(score: qualityScore, createdAt: createdAt, id: id) }

    /// The email with its JSON columns decoded.
    public func summary() throws -> EmailSummary {
        guard let reviewStatus = ReviewStatus(rawValue: status) else { throw StorageError("unknown review status \(status)") }
        var gate: EmailSummary.GateRecord?
        if let gatePhase, let gateThreshold, let gateVerdict, let gateOutcome {
            gate = EmailSummary.GateRecord(
                phase: gatePhase, threshold: gateThreshold, verdict: gateVerdict, outcome: gateOutcome, autoBlock: autoBlock)
        }
        return EmailSummary(
            id: id, clientID: clientID, clientName: clientName, templateID: templateID, batchID: batchID,
            contactName: contactName, companyName: companyName, contactEmail: contactEmail,
            subject: subject, finalSubject: finalSubject, body: body, finalBody: finalBody, qualityScore: qualityScore, status: reviewStatus,
            score: try JSONText.decode(QualityScore.self, from: metricsJSON),
            variables: try JSONText.decode([DraftVariable].self, from: variablesJSON),
            generationNote: generationNote, createdAt: createdAt,
            claimedByID: claimedBy, claimedByName: claimedByName,
            reviewerID: reviewerID, reviewerName: reviewerName, reviewedAt: reviewedAt,
            rejectionReason: rejectionReason.flatMap(RejectionReason.init(rawValue:)), rejectionDetails: rejectionDetails,
            gate: gate,
            grounding: try groundingJSON.map { try JSONText.decode([GroundingFlag].self, from: $0) } ?? [],
            export: EmailSummary.ExportRecord(
                campaignID: exportCampaignID, campaignName: exportCampaignName, leadID: sequencerLeadID,
                sentAt: sentAt, error: exportError)
        )
    }
}
