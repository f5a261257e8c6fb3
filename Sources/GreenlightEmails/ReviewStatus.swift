import Foundation
import GreenlightCore
/// Where a generated email stands in review.
public enum ReviewStatus: String, StoredStatus, Codable {
    case pendingReview = "pending_review"
    case approved
    case approvedEdited = "approved_edited"
    case approvedAuto = "approved_auto"
    case rejected
    case sent
    case sampled

    /// Statuses that wait for a human decision.
    public static let awaitingReview: [ReviewStatus] = [.pendingReview, .sampled]

    public var isAwaitingReview: Bool { Self.awaitingReview.contains(self) }

    /// Statuses a human or the gate approved, which the export sends.
    public static let approvedSet: [ReviewStatus] = [.approved, .approvedEdited, .approvedAuto]

    /// `('pending_review', 'sampled')`.
    package static let awaitingSQL = sqlList(awaitingReview)

    /// The review event a decision that leaves this status writes: `approve`, `edit` or `reject`.
    package var eventAction: String {
        switch self {
        case .approvedEdited: "edit"
        case .rejected: "reject"
        default: "approve"
        }
    }

    public var label: String {
        switch self {
        case .pendingReview: "awaiting review"
        case .approved: "approved"
        case .approvedEdited: "approved with edits"
        case .approvedAuto: "auto-approved"
        case .rejected: "rejected"
        case .sent: "sent"
        case .sampled: "awaiting blind review"
        }
    }
}
