import Foundation
import SQLKit

/// Applies reviewers' decisions atomically: the status change, the review event and (for an edit)
/// the style correction commit together, and only if nobody decided the email first.
public struct ReviewDecider: Sendable {
    /// Review times beyond this are a card left open, not time spent reading: capped.
    static let longestReview = 3_600_000

    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// - Parameters:
    ///   - shownAt: when the card was shown to the reviewer (ms), used when the reviewer holds no claim on it
    ///     (a claim starts when the card is opened, which is the better measure).
    ///   - clientIDs: the clients the reviewer may act on; `nil` means all.
    public func decide(_ decision: ReviewDecision, emailID: Int, by reviewer: Reviewer, shownAt: Int? = nil, clientIDs: [Int]? = nil) async throws -> ReviewOutcome {
        let decision = try decision.validated()
        let now = Clock.nowMillis()
        return try await database.write { sql in
            var lookup = SQLQueryString("""
                SELECT client_id, status, body, claimed_by, claim_expires_at, claimed_at FROM generated_emails WHERE id = \(bind: emailID)
                """)
            if let clientIDs { lookup = lookup + " AND " + SQLStatements.inList("client_id", clientIDs) }
            guard let row = try await sql.raw(lookup).first() else { throw NotFound("email \(emailID)") }
            let clientID = try row.decode(column: "client_id", as: Int.self)
            let draft = try row.decode(column: "body", as: String.self)
            let status = ReviewStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pendingReview
            let claimedBy = try row.decode(column: "claimed_by", as: Int?.self)
            let claimExpires = try row.decode(column: "claim_expires_at", as: Int?.self) ?? 0
            if !status.isAwaitingReview || (claimedBy != nil && claimedBy != reviewer.id && claimExpires > now) {
                throw try await ClaimStore.conflict(emailID: emailID, now: now, sql: sql)
            }
            let ownClaimStart = claimedBy == reviewer.id ? try row.decode(column: "claimed_at", as: Int?.self) : nil
            let reviewMilliseconds = (ownClaimStart ?? shownAt).map { min(Self.longestReview, max(0, now - $0)) }

            var newStatus: ReviewStatus = .approved
            var finalBody: String?
            var reason: String?
            var details: String?
            var action = "approve"
            switch decision {
            case .approve:
                break
            case .edit(let body):
                if body != draft.trimmingCharacters(in: .whitespacesAndNewlines) {
                    newStatus = .approvedEdited
                    finalBody = body
                    action = "edit"
                }
            case .reject(let rejection, let text):
                newStatus = .rejected
                reason = rejection.rawValue
                details = text
                action = "reject"
            }
            let updated = try await sql.raw("""
                UPDATE generated_emails SET status = \(bind: newStatus.rawValue), final_body = \(bind: finalBody), reviewer_id = \(bind: reviewer.id), reviewer_name = \(bind: reviewer.name),
                reviewed_at = \(bind: now), review_ms = \(bind: reviewMilliseconds), rejection_reason = \(bind: reason), rejection_details = \(bind: details),
                claimed_by = NULL, claim_expires_at = NULL, claimed_at = NULL
                WHERE id = \(bind: emailID) AND status IN ('pending_review', 'sampled')
                RETURNING id
                """).first()
            if updated == nil {
                throw try await ClaimStore.conflict(emailID: emailID, now: now, sql: sql)
            }
            try await sql.raw("""
                INSERT INTO review_events (email_id, client_id, user_id, actor_name, action, before_text, after_text, reason, details, review_ms, created_at)
                VALUES (\(bind: emailID), \(bind: clientID), \(bind: reviewer.id), \(bind: reviewer.name), \(bind: action), \(bind: finalBody == nil ? nil : draft),
                \(bind: finalBody), \(bind: reason), \(bind: details), \(bind: reviewMilliseconds), \(bind: now))
                """).run()
            if let finalBody {
                try await sql.raw("""
                    INSERT INTO style_corrections (client_id, email_id, user_id, original, edited, created_at)
                    VALUES (\(bind: clientID), \(bind: emailID), \(bind: reviewer.id), \(bind: draft), \(bind: finalBody), \(bind: now))
                    """).run()
            }
            return ReviewOutcome(emailID: emailID, status: newStatus, reviewMilliseconds: reviewMilliseconds)
        }
    }

    /// A manager's undo: the email goes back to the queue, its edit stops teaching the style, and the event says so.
    public func undo(emailID: Int, by reviewer: Reviewer, clientIDs: [Int]? = nil) async throws -> ReviewOutcome {
        let now = Clock.nowMillis()
        return try await database.write { sql in
            var lookup = SQLQueryString("SELECT client_id, status FROM generated_emails WHERE id = \(bind: emailID)")
            if let clientIDs { lookup = lookup + " AND " + SQLStatements.inList("client_id", clientIDs) }
            guard let row = try await sql.raw(lookup).first() else { throw NotFound("email \(emailID)") }
            let status = ReviewStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pendingReview
            switch status {
            case .pendingReview, .sampled: throw ReviewConflict.notAllowed("this email has not been reviewed yet: nothing to undo")
            case .sent: throw ReviewConflict.notAllowed("this email was already sent to the sequencer and cannot be undone")
            default: break
            }
            try await sql.raw("""
                UPDATE generated_emails SET status = 'pending_review', final_body = NULL, reviewer_id = NULL, reviewer_name = NULL, reviewed_at = NULL, review_ms = NULL,
                rejection_reason = NULL, rejection_details = NULL WHERE id = \(bind: emailID)
                """).run()
            try await sql.raw("DELETE FROM style_corrections WHERE email_id = \(bind: emailID)").run()
            try await sql.raw("""
                INSERT INTO review_events (email_id, client_id, user_id, actor_name, action, reason, created_at)
                VALUES (\(bind: emailID), \(bind: try row.decode(column: "client_id", as: Int.self)), \(bind: reviewer.id), \(bind: reviewer.name), 'undo', \(bind: status.rawValue), \(bind: now))
                """).run()
            return ReviewOutcome(emailID: emailID, status: .pendingReview, reviewMilliseconds: nil)
        }
    }
}
