import Foundation
import GreenlightEmails
/// Why a review action could not be taken — the answer the reviewer sees, and nothing was changed.
public enum ReviewConflict: Error, Sendable, Equatable, CustomStringConvertible {
    /// Someone already decided this email.
    case alreadyReviewed(by: String, status: ReviewStatus)
    /// Another reviewer has the card open (their claim has not expired).
    case beingReviewed(by: String)
    /// The email cannot take this action in its current status (undoing an email already sent, say).
    case notAllowed(String)
    /// The email waits in a CSV file not uploaded yet (export run `runID`): it must leave that file before it is decided again.
    case inCSVFile(runID: Int)

    public var description: String {
        switch self {
        case .alreadyReviewed(let name, let status): "already reviewed by \(name) (\(status.label))"
        case .beingReviewed(let name): "being reviewed by \(name)"
        case .notAllowed(let message): message
        case .inCSVFile(let run):
            "this email waits in the CSV file of export run \(run), not uploaded yet: take it out of that file first "
                + "(a manager can, on this email's page, or with DELETE /api/v1/exports/\(run)/emails/ID), then undo it"
        }
    }
}
