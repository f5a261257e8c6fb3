import Foundation
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
    public var reviewerName: String?
    public var reviewedAt: Int?
    public var rejectionReason: RejectionReason?
    public var rejectionDetails: String?

    public var cursor: QueueCursor { QueueCursor(score: qualityScore, createdAt: createdAt, id: id) }
}
