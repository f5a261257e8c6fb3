import Foundation
import SQLKit

/// Reads the review queue: worst score first, ties by age, 50 a page, keyset paginated.
public struct ReviewQueue: Sendable {
    /// One page and the cursor of the next, if there is one.
    public struct Page: Sendable {
        public var emails: [EmailSummary]
        public var next: QueueCursor?
    }

    public static let pageSize = 50
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// - Parameter clientIDs: the clients the caller may see; `nil` means all.
    public func page(_ filter: QueueFilter, after cursor: QueueCursor? = nil, limit: Int = pageSize, clientIDs: [Int]? = nil) async throws -> Page {
        let limit = max(1, min(limit, 200))
        var query = SQLQueryString("SELECT ") + EmailRows.columns + " FROM generated_emails e JOIN clients c ON c.id = e.client_id "
            + EmailRows.userJoins + " WHERE " + Self.conditions(filter, clientIDs: clientIDs, dialect: database.dialect)
        if let cursor {
            query = query + SQLQueryString(" AND (e.quality_score, e.created_at, e.id) > (\(bind: cursor.score), \(bind: cursor.createdAt), \(bind: cursor.id))")
        }
        query = query + SQLQueryString(" ORDER BY e.quality_score, e.created_at, e.id LIMIT \(literal: limit + 1)")
        let now = Clock.nowMillis()
        let finalQuery = query
        let rows = try await database.read { sql in try await sql.raw(finalQuery).all() }
        var emails = try rows.map { try EmailRows.summary(from: $0, now: now) }
        var next: QueueCursor?
        if emails.count > limit {
            emails.removeLast()
            next = emails.last?.cursor
        }
        return Page(emails: emails, next: next)
    }

    /// How many emails match the filters, counting at most `cap` of them when a cap is given: the
    /// queue's header says "10,000+" rather than count a million index entries on every page load.
    public func count(_ filter: QueueFilter, clientIDs: [Int]? = nil, cap: Int? = nil) async throws -> Int {
        var query = SQLQueryString("SELECT COUNT(*) AS n FROM ")
        let matching = SQLQueryString("generated_emails e WHERE ") + Self.conditions(filter, clientIDs: clientIDs, dialect: database.dialect)
        if let cap {
            query = query + "(SELECT 1 FROM " + matching + SQLQueryString(" LIMIT \(literal: max(cap, 0))) AS capped")
        } else {
            query = query + matching
        }
        let finalQuery = query
        return try await database.read { sql in try await sql.raw(finalQuery).first()?.decode(column: "n", as: Int.self) ?? 0 }
    }

    static func conditions(_ filter: QueueFilter, clientIDs: [Int]?, dialect: DatabaseDialect) -> SQLQueryString {
        // Awaiting review is written as fixed SQL so the planner can match the partial indexes of 0003.
        var parts: [SQLQueryString] = [filter.status == .awaitingReview
            ? "e.status IN ('pending_review', 'sampled')"
            : SQLStatements.inList("e.status", filter.status.statuses.map(\.rawValue))]
        if let clientIDs { parts.append(SQLStatements.inList("e.client_id", clientIDs)) }
        if let id = filter.clientID { parts.append("e.client_id = \(bind: id)") }
        if let id = filter.templateID { parts.append("e.template_id = \(bind: id)") }
        if let id = filter.batchID { parts.append("e.batch_id = \(bind: id)") }
        if let from = filter.from.flatMap(QueueFilter.millis(ofDay:)) { parts.append("e.created_at >= \(bind: from)") }
        if let to = filter.to.flatMap(QueueFilter.millis(ofDay:)) { parts.append("e.created_at < \(bind: to + 86_400_000)") }
        if let min = filter.minScore { parts.append("e.quality_score >= \(bind: min)") }
        if let max = filter.maxScore { parts.append("e.quality_score <= \(bind: max)") }
        if let search = filter.search?.lowercased(), !search.isEmpty {
            parts.append(SQLStatements.contains("e.search_text", search, dialect: dialect))
        }
        return parts.dropFirst().reduce(parts[0]) { $0 + " AND " + $1 }
    }
}
