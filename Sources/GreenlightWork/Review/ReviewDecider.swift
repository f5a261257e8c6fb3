import Foundation
import SQLKit
import GreenlightCore
import GreenlightEmails

/// Applies reviewers' decisions atomically: the status change, the review event and (for an edit)
/// the style correction commit together, and only if nobody decided the email first.
public struct ReviewDecider: Sendable {
    /// Review times beyond this are a card left open, not time spent reading: capped.
    static let longestReview = 3_600_000

    let database: Database
    /// Where "now" is read: when the decision is made, and the review time it ends.
    let clock: TimeSource

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    /// - Parameters:
    ///   - shownAt: when the card was shown to the reviewer (ms), used when the reviewer holds no claim on it
    ///     (a claim starts when the card is opened, which is the better measure).
    ///   - clientIDs: the clients the reviewer may act on; `nil` means all.
    public func decide(_ decision: ReviewDecision, emailID: Int, by reviewer: Reviewer, shownAt: Int? = nil, clientIDs: [Int]? = nil) async throws
        -> ReviewOutcome
    {
        let decision = try decision.validated()
        let now = clock.nowMillis()
        let shownAt = Self.plausible(shownAt: shownAt, now: now)
        let update = updateStatement(decision, emailID: emailID, by: reviewer, shownAt: shownAt, clientIDs: clientIDs, now: now)
        let decided: ReviewOutcome?
        switch database.dialect {
        case .postgres:
            // One statement, atomic by itself: the update, its review event and (for an edit) the style
            // correction. Half the round trips of a transaction with separate statements.
            let (reason, details) = Self.rejection(decision)
            let statement =
                "WITH updated AS (" + update + "), event AS (INSERT INTO " + ReviewEventSQL.table
                + SQLQueryString(
                    """
                     SELECT id, client_id, \(bind: reviewer.id), \(bind: reviewer.name), \(unsafeRaw: Self.actionSQL),
                    CASE WHEN final_body IS NULL THEN NULL WHEN final_subject IS NULL THEN body ELSE 'Subject: ' || subject || CAST(\(bind: Self.subjectGap) AS TEXT) || body END,
                    CASE WHEN final_subject IS NULL THEN final_body ELSE 'Subject: ' || final_subject || CAST(\(bind: Self.subjectGap) AS TEXT) || final_body END,
                    CAST(\(bind: reason) AS TEXT), CAST(\(bind: details) AS TEXT), review_ms, \(bind: now) FROM updated),
                    style AS (INSERT INTO style_corrections (client_id, email_id, user_id, original, edited, created_at)
                    SELECT client_id, id, \(bind: reviewer.id), body, final_body, \(bind: now) FROM updated WHERE final_body IS NOT NULL AND final_body <> body)
                    SELECT id, client_id, body, status, final_body, review_ms, (SELECT phase FROM clients WHERE clients.id = updated.client_id) AS phase FROM updated
                    """)
            decided = try await database.autocommit(preparing: true) { sql in try await sql.raw(statement).first().map(Self.outcome(from:)) }
        case .sqlite:
            decided = try await database.write { sql in
                guard let row = try await sql.raw(update).first() else { return nil }
                var outcome = try Self.outcome(from: row)
                let (reason, details) = Self.rejection(decision)
                let clientID = try row.decode(column: "client_id", as: Int.self)
                let draft = try row.decode(column: "body", as: String.self)
                let finalBody = try row.decode(column: "final_body", as: String?.self)
                let (before, after) = try Self.eventTexts(row)
                outcome.clientPhase = try await sql.raw("SELECT phase FROM clients WHERE id = \(bind: clientID)").first()?.decode(
                    column: "phase", as: String.self)
                try await sql.raw(
                    ReviewEventSQL.insert(
                        emailID: emailID, clientID: clientID, by: reviewer, action: outcome.status.eventAction,
                        before: before, after: after, reason: reason, details: details,
                        reviewMilliseconds: outcome.reviewMilliseconds, at: now)
                ).run()
                if let finalBody, finalBody != draft {
                    try await sql.raw(
                        """
                        INSERT INTO style_corrections (client_id, email_id, user_id, original, edited, created_at)
                        VALUES (\(bind: clientID), \(bind: emailID), \(bind: reviewer.id), \(bind: draft), \(bind: finalBody), \(bind: now))
                        """
                    ).run()
                }
                return outcome
            }
        }
        if let decided { return decided }
        // Nothing changed: say why (rare, so the extra queries are fine).
        return try await database.read { sql in
            var visible = SQLQueryString("SELECT id FROM generated_emails WHERE id = \(bind: emailID)")
            visible = visible + SQLStatements.visible("client_id", to: clientIDs)
            guard try await sql.raw(visible).first() != nil else { throw NotFound("email \(emailID)") }
            throw try await ClaimStore.conflict(emailID: emailID, now: now, sql: sql)
        }
    }

    /// The decision as one `UPDATE … RETURNING`: it applies only while the email awaits review and
    /// nobody else holds a live claim on it, so two reviewers can never both decide it. The review time
    /// runs from the reviewer's own claim if they hold one, else from when the card was shown; capped.
    func updateStatement(_ decision: ReviewDecision, emailID: Int, by reviewer: Reviewer, shownAt: Int?, clientIDs: [Int]?, now: Int)
        -> SQLQueryString
    {
        let (reason, details) = Self.rejection(decision)
        let status: SQLQueryString
        let finalBody: SQLQueryString
        var finalSubject: SQLQueryString = "NULL"
        switch decision {
        case .approve:
            status = "'approved'"
            finalBody = "NULL"
        case .edit(let body, let subject):
            // An "edit" that leaves the draft as it was (ignoring surrounding whitespace) is an approval.
            // A new subject alone is an edit too: its text is kept whole, so "edited" stays `final_body IS NOT NULL`.
            let newSubject: SQLQueryString = subject.map { SQLQueryString("subject <> CAST(\(bind: $0) AS TEXT)") } ?? "1 = 0"
            let unchanged =
                SQLQueryString("\(unsafeRaw: database.dialect.trimmedWhitespace("body")) = CAST(\(bind: body) AS TEXT) AND NOT (") + newSubject + ")"
            status = "CASE WHEN " + unchanged + " THEN 'approved' ELSE 'approved_edited' END"
            finalBody = "CASE WHEN " + unchanged + SQLQueryString(" THEN NULL ELSE CAST(\(bind: body) AS TEXT) END")
            if let subject { finalSubject = "CASE WHEN " + newSubject + SQLQueryString(" THEN CAST(\(bind: subject) AS TEXT) ELSE NULL END") }
        case .reject:
            status = "'rejected'"
            finalBody = "NULL"
        }
        let start = SQLQueryString(
            "(CASE WHEN claimed_by = \(bind: reviewer.id) AND claimed_at IS NOT NULL THEN claimed_at ELSE CAST(\(bind: shownAt) AS BIGINT) END)")
        let elapsed = SQLQueryString("(\(bind: now) - ") + start + ")"
        let reviewMilliseconds =
            "CASE WHEN " + start + " IS NULL THEN NULL WHEN " + elapsed + " < 0 THEN 0 WHEN " + elapsed
            + SQLQueryString(" > \(bind: Self.longestReview) THEN \(bind: Self.longestReview) ELSE ") + elapsed + " END"
        var statement =
            "UPDATE generated_emails SET status = " + status + ", final_body = " + finalBody + ", final_subject = " + finalSubject
            + SQLQueryString(
                """
                , reviewer_id = \(bind: reviewer.id), reviewer_name = \(bind: reviewer.name), reviewed_at = \(bind: now), review_ms = 
                """) + reviewMilliseconds
            + SQLQueryString(
                """
                , rejection_reason = CAST(\(bind: reason) AS TEXT), rejection_details = CAST(\(bind: details) AS TEXT),
                claimed_by = NULL, claim_expires_at = NULL, claimed_at = NULL
                WHERE id = \(bind: emailID) AND status IN \(unsafeRaw: ReviewStatus.awaitingSQL)
                AND (claimed_by IS NULL OR claimed_by = \(bind: reviewer.id) OR COALESCE(claim_expires_at, 0) <= \(bind: now))
                """)
        statement = statement + SQLStatements.visible("client_id", to: clientIDs)
        return statement + " RETURNING id, client_id, subject, body, status, final_subject, final_body, review_ms"
    }

    /// Between a subject and the text in a review event's before and after: the history's diff shows a
    /// changed subject as its first line.
    static let subjectGap = "\n\n"

    /// A review event's before and after texts from the decided row: nil for no edit; the subject
    /// line first when the subject changed.
    static func eventTexts(_ row: any SQLRow) throws -> (before: String?, after: String?) {
        guard let finalBody = try row.decode(column: "final_body", as: String?.self) else { return (nil, nil) }
        let body = try row.decode(column: "body", as: String.self)
        guard let finalSubject = try row.decode(column: "final_subject", as: String?.self) else { return (body, finalBody) }
        let subject = try row.decode(column: "subject", as: String.self)
        return ("Subject: " + subject + subjectGap + body, "Subject: " + finalSubject + subjectGap + finalBody)
    }

    /// A card is not shown in the future nor more than a day ago: anything else a form claims is
    /// ignored (it would make up a review time, or overflow `now - shown_at` on PostgreSQL).
    static func plausible(shownAt: Int?, now: Int) -> Int? {
        guard let shownAt, shownAt <= now, shownAt >= now - 86_400_000 else { return nil }
        return shownAt
    }

    /// The review event's action for the status a decision left, in SQL: ``ReviewStatus/eventAction``
    /// written as a `CASE` (`approved_edited` → `edit`, `rejected` → `reject`, else `approve`).
    static let actionSQL =
        "CASE status "
        + ReviewStatus.allCases.filter { $0.eventAction != ReviewStatus.approved.eventAction }
        .map { "WHEN '\($0.rawValue)' THEN '\($0.eventAction)' " }.joined()
        + "ELSE '\(ReviewStatus.approved.eventAction)' END"

    static func rejection(_ decision: ReviewDecision) -> (reason: String?, details: String?) {
        if case .reject(let reason, let details) = decision { return (reason.rawValue, details) }
        return (nil, nil)
    }

    static func outcome(from row: any SQLRow) throws -> ReviewOutcome {
        let status = try row.decode(column: "status", as: String.self)
        return ReviewOutcome(
            emailID: try row.decode(column: "id", as: Int.self), clientID: try row.decode(column: "client_id", as: Int.self),
            status: ReviewStatus(rawValue: status) ?? .approved,
            reviewMilliseconds: try row.decode(column: "review_ms", as: Int?.self),
            clientPhase: row.contains(column: "phase") ? try row.decode(column: "phase", as: String?.self) : nil)
    }

    /// An undo: the email goes back to the queue, its edit stops teaching the style, and the event says so.
    /// A manager undoes anyone's decision; a reviewer without that right (`onlyOwn`) undoes only their own,
    /// until it is exported.
    ///
    /// The decision to undo is read first, then reset by one conditional `UPDATE` that applies only if
    /// the email still holds exactly that decision (same status, reviewer and time): of two managers
    /// undoing at once, one wins and the other gets a conflict; a decision made after the read is never
    /// reset in its place. An email the export holds cannot be undone: one waiting in a CSV file not
    /// uploaded yet must be taken out of it first (``ReviewConflict/inCSVFile(runID:)``); one whose
    /// lead is being sent must wait for the answer. `afterRead` lets a test act between the two steps.
    public func undo(
        emailID: Int, by reviewer: Reviewer, clientIDs: [Int]? = nil, onlyOwn: Bool = false,
        afterRead: @Sendable () async throws -> Void = {}
    ) async throws -> ReviewOutcome {
        let now = clock.nowMillis()
        var lookup = SQLQueryString("SELECT client_id, status, reviewed_at, reviewer_id FROM generated_emails WHERE id = \(bind: emailID)")
        lookup = lookup + SQLStatements.visible("client_id", to: clientIDs)
        let query = lookup
        guard let row = try await database.read({ sql in try await sql.raw(query).first() }) else { throw NotFound("email \(emailID)") }
        let status = ReviewStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pendingReview
        let reviewedAt = try row.decode(column: "reviewed_at", as: Int?.self)
        let reviewerID = try row.decode(column: "reviewer_id", as: Int?.self)
        let clientID = try row.decode(column: "client_id", as: Int.self)
        switch status {
        case .pendingReview, .sampled: throw ReviewConflict.notAllowed("this email has not been reviewed yet: nothing to undo")
        case .sent: throw ReviewConflict.notAllowed("this email was already sent to the sequencer and cannot be undone")
        default: break
        }
        if onlyOwn && reviewerID != reviewer.id {
            throw ReviewConflict.notAllowed(
                reviewerID == nil
                    ? "this email was approved by the rollout gate, not by you: a manager can undo it"
                    : "this decision is someone else's: you can undo only your own (a manager can undo any)")
        }
        try await afterRead()
        let sameReview: SQLQueryString =
            (reviewedAt.map { "reviewed_at = \(bind: $0)" } ?? "reviewed_at IS NULL")
            + " AND " + (reviewerID.map { "reviewer_id = \(bind: $0)" } ?? "reviewer_id IS NULL")
        let locks = database.dialect == .postgres
        return try await database.write { sql in
            // The email's row first (PostgreSQL: locked until commit), then what the export holds of it, read after the
            // lock: an export marking it `sending` either finished before (and is seen here) or waits and sees it undone.
            if locks { _ = try await sql.raw("SELECT id FROM generated_emails WHERE id = \(bind: emailID) FOR UPDATE").first() }
            if let run = try await sql.raw(
                """
                SELECT i.run_id FROM export_items i JOIN export_runs r ON r.id = i.run_id
                WHERE i.email_id = \(bind: emailID) AND i.status = 'claimed' AND r.status = 'awaiting_upload'
                """
            ).first()?.decode(column: "run_id", as: Int.self) {
                throw ReviewConflict.inCSVFile(runID: run)
            }
            if try await sql.raw("SELECT 1 AS n FROM export_items WHERE email_id = \(bind: emailID) AND status = 'sending'").first() != nil {
                throw ReviewConflict.notAllowed("this email is being sent to the sequencer right now and cannot be undone")
            }
            let reset = try await sql.raw(
                """
                UPDATE generated_emails SET status = 'pending_review', final_body = NULL, final_subject = NULL, reviewer_id = NULL, reviewer_name = NULL, reviewed_at = NULL, review_ms = NULL,
                rejection_reason = NULL, rejection_details = NULL WHERE id = \(bind: emailID) AND status = \(bind: status.rawValue) AND \(sameReview)
                RETURNING id
                """
            ).first()
            guard reset != nil else {
                throw ReviewConflict.notAllowed(
                    "this email changed while you were undoing it (someone else undid or decided it): reload and look again")
            }
            try await sql.raw("DELETE FROM style_corrections WHERE email_id = \(bind: emailID)").run()
            try await sql.raw(
                ReviewEventSQL.insert(emailID: emailID, clientID: clientID, by: reviewer, action: "undo", reason: status.rawValue, at: now)
            ).run()
            return ReviewOutcome(emailID: emailID, clientID: clientID, status: .pendingReview, reviewMilliseconds: nil)
        }
    }
}
