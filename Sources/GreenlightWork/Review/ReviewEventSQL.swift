import Foundation
import SQLKit
import GreenlightCore

/// The one way a review event row is written (the audit trail of every decision): its columns, and the
/// `INSERT` of one event from values.
enum ReviewEventSQL {
    /// `review_events (…columns…)`, for an `INSERT INTO` that takes its values from elsewhere (a `SELECT`).
    static let table: SQLQueryString =
        "review_events (email_id, client_id, user_id, actor_name, action, before_text, after_text, reason, details, review_ms, created_at)"

    /// Inserts one event.
    static func insert(
        emailID: Int, clientID: Int, by reviewer: Reviewer, action: String, before: String? = nil, after: String? = nil,
        reason: String? = nil, details: String? = nil, reviewMilliseconds: Int? = nil, at time: Int
    ) -> SQLQueryString {
        "INSERT INTO " + table
            + SQLQueryString(
                """
                 VALUES (\(bind: emailID), \(bind: clientID), \(bind: reviewer.id), \(bind: reviewer.name), \(bind: action),
                \(bind: before), \(bind: after), \(bind: reason), \(bind: details), \(bind: reviewMilliseconds), \(bind: time))
                """)
    }
}
