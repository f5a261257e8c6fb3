import Foundation
import SQLKit
import GreenlightCore
import GreenlightEmails

/// Short, atomic leases on the email a reviewer has open, so two reviewers never work on the same card.
public struct ClaimStore: Sendable {
    /// How long a claim lasts unless renewed (the page renews it while the card is open).
    public static let lease = 120_000

    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Claims the email for `reviewer`, or renews their claim. Throws ``ReviewConflict`` when
    /// someone else holds it or it is already decided; returns when the claim expires.
    @discardableResult
    public func claim(emailID: Int, by reviewer: Reviewer, now: Int) async throws -> Int {
        guard reviewer.id != nil else { throw ReviewConflict.notAllowed("only a logged-in reviewer can claim an email") }
        let expires = now + Self.lease
        let claimed = try await database.write { sql in
            try await sql.raw(
                """
                UPDATE generated_emails SET claimed_by = \(bind: reviewer.id), claim_expires_at = \(bind: expires),
                claimed_at = CASE WHEN claimed_by = \(bind: reviewer.id) AND claim_expires_at > \(bind: now) THEN claimed_at ELSE \(bind: now) END
                WHERE id = \(bind: emailID) AND status IN \(unsafeRaw: ReviewStatus.awaitingSQL)
                AND (claimed_by IS NULL OR claimed_by = \(bind: reviewer.id) OR claim_expires_at <= \(bind: now))
                RETURNING id
                """
            ).first() != nil
        }
        if claimed { return expires }
        throw try await conflict(emailID: emailID, now: now)
    }

    /// Gives the claim back (the reviewer moved on without deciding).
    public func release(emailID: Int, by reviewer: Reviewer) async throws {
        try await database.write { sql in
            try await sql.raw(
                """
                UPDATE generated_emails SET claimed_by = NULL, claim_expires_at = NULL, claimed_at = NULL
                WHERE id = \(bind: emailID) AND claimed_by = \(bind: reviewer.id)
                """
            ).run()
        }
    }

    /// Explains why an action on `emailID` cannot go ahead now.
    func conflict(emailID: Int, now: Int) async throws -> ReviewConflict {
        try await database.read { sql in
            try await Self.conflict(emailID: emailID, now: now, sql: sql)
        }
    }

    static func conflict(emailID: Int, now: Int, sql: any SQLDatabase) async throws -> ReviewConflict {
        guard
            let row = try await sql.raw(
                """
                SELECT e.status, e.claim_expires_at, cu.name AS claimed_by_name, e.reviewer_name
                FROM generated_emails e LEFT JOIN users cu ON cu.id = e.claimed_by
                WHERE e.id = \(bind: emailID)
                """
            ).first()
        else { throw NotFound("email \(emailID)") }
        let status = ReviewStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pendingReview
        if !status.isAwaitingReview {
            return .alreadyReviewed(by: try row.decode(column: "reviewer_name", as: String?.self) ?? "the automatic approval", status: status)
        }
        if let expires = try row.decode(column: "claim_expires_at", as: Int?.self), expires > now,
            let name = try row.decode(column: "claimed_by_name", as: String?.self)
        {
            return .beingReviewed(by: name)
        }
        return .notAllowed("the email changed while you were acting on it; reload and try again")
    }
}
