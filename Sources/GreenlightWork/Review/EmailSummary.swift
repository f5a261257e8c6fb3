import Foundation
import GreenlightCore
import GreenlightEmails
/// One email as the queue lists it: enough for a card, without history.
public struct EmailSummary: Sendable, Equatable {
    public var id: Int
    public var clientID: Int
    public var clientName: String
    public var templateID: Int
    public var batchID: Int
    public var contactName: String
    public var companyName: String
    public var contactEmail: String
    public var subject: String
    /// The reviewer's subject, when they changed it.
    public var finalSubject: String?
    public var body: String
    public var finalBody: String?
    public var qualityScore: Int
    public var status: ReviewStatus
    public var score: QualityScore
    public var variables: [DraftVariable]
    public var generationNote: String
    public var createdAt: Int
    /// Who holds the claim on this email, when someone does and it has not expired.
    public var claimedByID: Int?
    public var claimedByName: String?
    /// Who decided it (nil while it awaits review, and for the rollout gate's approvals).
    public var reviewerID: Int?
    public var reviewerName: String?
    public var reviewedAt: Int?
    public var rejectionReason: RejectionReason?
    public var rejectionDetails: String?
    /// What the rollout gate decided when the draft was scored (nil for drafts older than the gate).
    public var gate: GateRecord?
    /// The words of model-written variables the grounding check found unsupported (empty: none).
    public var grounding: [GroundingFlag] = []
    /// Where the export took it (campaign, lead, when), or why it could not.
    public var export = ExportRecord()

    /// The export's record on one email.
    public struct ExportRecord: Sendable, Equatable {
        public var campaignID: String?
        public var campaignName: String?
        public var leadID: String?
        public var sentAt: Int?
        /// The last export's error while the email stays approved.
        public var error: String?

        /// One line for the card: where it went, or nil.
        public var sentLine: String? {
            guard let sentAt else { return nil }
            return
                "Sent \(DateText.format(sentAt)) to \(campaignName ?? "the sequencer")\(campaignID.map { " (campaign \($0))" } ?? "")\(leadID.map { ", lead \($0)" } ?? "")."
        }
    }

    /// The gate's record on one email: the phase and threshold it applied, the machine's verdict and
    /// what happened, and why the draft may never be auto-approved (if anything stops it).
    public struct GateRecord: Sendable, Equatable {
        public var phase: String
        public var threshold: Int
        public var verdict: String
        public var outcome: String
        public var autoBlock: String?

        /// One sentence for the card and the API.
        public var sentence: String {
            let would = verdict == "auto" ? "would auto-approve" : "would send to review"
            var text = "The gate \(would) this draft (threshold \(threshold), \(phase))"
            switch outcome {
            case "auto": text += " and auto-approved it"
            case "sampled": text += "; it was held back for blind review"
            case "paused": text += "; auto-approval was paused"
            default: break
            }
            if let autoBlock { text += ". Never auto-approved: \(autoBlock)" }
            return text + "."
        }
    }

    /// A sampled draft awaiting review is reviewed blind: its score, deductions and the machine's
    /// verdict stay hidden until a human has decided, so the reviewer is not anchored by them.
    public var isBlind: Bool { status == .sampled }

    public var cursor: QueueCursor { QueueCursor(score: qualityScore, createdAt: createdAt, id: id) }
}
