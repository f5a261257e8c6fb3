import Foundation
import SQLKit
import GreenlightCore
import GreenlightEmails

/// Reads the review queue: worst score first, ties by age, 50 a page, keyset paginated.
public struct ReviewQueue: Sendable {
    /// One page and the cursor of the next, if there is one.
    public struct Page: Sendable {
        public var emails: [EmailSummary]
        public var next: QueueCursor?
    }

    /// One page as read, its JSON columns not yet decoded (the queue page renders cards it has
    /// already rendered without decoding them again).
    public struct RecordPage: Sendable {
        public var records: [EmailRecord]
        public var next: QueueCursor?
    }

    public static let pageSize = 50
    /// The queue's header counts up to this many emails, then says "or more".
    public static let headerCountCap = 1_000
    let database: Database
    let clock: TimeSource
    /// How many emails, in queue order, a search first checks one by one before asking the search index.
    public let searchWindow: Int

    /// Up to this many emails holding a search's words in all, SQLite reads them by id and sorts them
    /// (``fewMatches(_:)``): a few milliseconds at most.
    public let fewMatchLimit: Int

    public init(database: Database, searchWindow: Int = 2_000, fewMatchLimit: Int = 2_000, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
        self.searchWindow = searchWindow
        self.fewMatchLimit = fewMatchLimit
    }

    /// - Parameter clientIDs: the clients the caller may see; `nil` means all.
    ///
    /// A search walks the queue in order and checks each email for the words, stopping at a page of
    /// matches: a common word fills its page from the first emails, where the search index would
    /// return tens of thousands of matches to sort (half a second at a million drafts). The walk
    /// gives up after `searchWindow` emails; when those hold less than a page, the search index
    /// answers. Either way the page is exactly the first matches in queue order.
    public func page(_ filter: QueueFilter, after cursor: QueueCursor? = nil, limit: Int = pageSize, clientIDs: [Int]? = nil) async throws -> Page {
        let page = try await records(filter, after: cursor, limit: limit, clientIDs: clientIDs)
        return Page(emails: try page.records.map { try $0.summary() }, next: page.next)
    }

    /// ``page(_:after:limit:clientIDs:)`` without decoding the emails' JSON columns.
    public func records(_ filter: QueueFilter, after cursor: QueueCursor? = nil, limit: Int = pageSize, clientIDs: [Int]? = nil) async throws
        -> RecordPage
    {
        let limit = max(1, min(limit, 200))
        let now = clock.nowMillis()
        var rows: [any SQLRow] = []
        var answered = false
        if filter.search != nil {
            let walk = searchWalkQuery(filter, after: cursor, limit: limit, clientIDs: clientIDs)
            rows = try await database.read { sql in try await sql.raw(walk).all() }
            answered = rows.count > limit
        }
        if !answered {
            let few = try await fewMatches(filter)
            let query = pageQuery(filter, after: cursor, limit: limit, clientIDs: clientIDs, fewMatches: few)
            rows = try await database.read { sql in try await sql.raw(query).all() }
        }
        var records = try rows.map { try EmailRecord($0, now: now) }
        var next: QueueCursor?
        if records.count > limit {
            records.removeLast()
            next = records.last?.cursor
        }
        return RecordPage(records: records, next: next)
    }

    /// How many emails match the filters, counting at most `cap` of them when a cap is given: the
    /// queue's header says "1,000 or more" rather than count a million index entries on every page load.
    public func count(_ filter: QueueFilter, clientIDs: [Int]? = nil, cap: Int? = nil) async throws -> Int {
        let query = countQuery(filter, clientIDs: clientIDs, cap: cap)
        return try await database.read { sql in try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0 }
    }

    /// Whether a search's words are in at most ``fewMatchLimit`` emails in all, on SQLite, as its search
    /// index counts them.
    ///
    /// A search the walk could not answer asks the search index. Without statistics SQLite walks the
    /// filter's index in order and checks each email against the index's matches: when those are
    /// few (a company, a person: the searches people make most), it walks the whole filter to find
    /// them, 100 ms at a million drafts for a word no email holds. When the index holds few
    /// matches, the page reads them by id and sorts them instead. PostgreSQL weighs the two itself.
    public func fewMatches(_ filter: QueueFilter) async throws -> Bool {
        guard database.dialect == .sqlite, let words = filter.search?.lowercased(),
            let count = SearchCondition.indexCount(words, cap: fewMatchLimit + 1)
        else { return false }
        return try await database.read { sql in try await sql.raw(count).first()?.decode(column: "n", as: Int.self) ?? 0 } <= fewMatchLimit
    }

    /// The SQL of one page: one more row than `limit`, to know whether a next page exists.
    ///
    /// Neither database can walk one index in order across `status IN (…)` or `client_id IN (…)`,
    /// so both read every matching email and sorted them — a whole backlog per page, seconds at a
    /// million drafts for "all" or "reviewed". Instead each (status, client) pair walks its own
    /// ordered index for its first `limit + 1`, and only those are merged: a reviewer's several
    /// clients, a manager's "reviewed" (five statuses) or "all". Awaiting review is one walk (its
    /// partial indexes hold both statuses in order). A search goes through the search index instead.
    /// - Parameter fewMatches: a search's words are in few emails (``fewMatches(_:)``): read them by id
    ///   and sort them rather than walk the filter's index in order.
    public func pageQuery(
        _ filter: QueueFilter, after cursor: QueueCursor? = nil, limit: Int = pageSize, clientIDs: [Int]? = nil, fewMatches: Bool = false
    ) -> SQLQueryString {
        let filter = Self.narrowed(filter, clientIDs: clientIDs)
        let select = SQLQueryString("SELECT ") + EmailRows.columns + " FROM "
        let joins = SQLQueryString(" JOIN clients c ON c.id = e.client_id ") + EmailRows.userJoins
        let order = SQLQueryString(" ORDER BY e.quality_score, e.created_at, e.id")
        let take = SQLQueryString(" LIMIT \(literal: limit + 1)")
        if filter.search == nil, let merged = walks(filter, after: cursor, clientIDs: clientIDs, limit: limit + 1) {
            return select + "(SELECT id FROM " + merged + ") AS page JOIN generated_emails e ON e.id = page.id" + joins + order
        }
        // NOT INDEXED leaves SQLite the emails' ids (the search index's matches) and no ordered index to walk.
        let access: SQLQueryString = fewMatches && filter.search != nil && database.dialect == .sqlite ? " NOT INDEXED" : index(filter)
        return select + "generated_emails e" + access + joins + " WHERE " + Self.conditions(filter, clientIDs: clientIDs, dialect: database.dialect)
            + Self.after(cursor) + order + take
    }

    /// The first `limit` emails (id, quality_score, created_at) of the filter in queue order, merged from one ordered
    /// index walk per (status, client) pair — as `(… UNION ALL … ORDER BY … LIMIT …) AS walks_merged` —
    /// or nil when one walk serves the filter alone.
    ///
    /// On SQLite the walks carry no `ORDER BY` or `LIMIT` of their own: the union's order is each
    /// walk's index order, so SQLite merges the walks' co-routines as they stream (`MERGE (UNION ALL)`)
    /// and stops at `limit`. A walk limited in a subquery of its own was read whole and sorted again
    /// before the merge: seven walks of 2,000 for a search over every status. PostgreSQL keeps each
    /// walk's `ORDER BY … LIMIT`: without it, it plans bitmap scans of each walk's whole filter and
    /// sorts them.
    private func walks(_ filter: QueueFilter, after cursor: QueueCursor?, clientIDs: [Int]?, limit: Int) -> SQLQueryString? {
        // Awaiting review is one walk of its partial index, except within a batch: each status then
        // walks the batch's own index.
        let statuses: [QueueFilter.StatusChoice] =
            filter.status == .awaitingReview && filter.batchID == nil
            ? [.awaitingReview] : filter.status.statuses.map { .only($0) }
        let clients: [Int?] = filter.clientID != nil ? [filter.clientID] : clientIDs.map { Set($0).sorted() } ?? [nil]
        guard statuses.count * clients.count > 1, clients.count <= 64 else { return nil }
        // With a client chosen, the caller's visible clients still bound every walk.
        let visible = filter.clientID != nil ? clientIDs : nil
        let take = SQLQueryString(" LIMIT \(literal: limit)")
        let arms = statuses.flatMap { status in
            clients.map { clientID -> SQLQueryString in
                var one = filter
                one.status = status
                one.clientID = clientID
                let walk =
                    SQLQueryString("SELECT e.id, e.quality_score, e.created_at FROM generated_emails e") + index(one) + " WHERE "
                    + Self.conditions(one, clientIDs: visible, dialect: database.dialect) + Self.after(cursor)
                guard database.dialect == .postgres else { return walk }
                return "SELECT id, quality_score, created_at FROM (" + walk + " ORDER BY e.quality_score, e.created_at, e.id" + take + ") AS one_walk"
            }
        }
        let merged = arms.dropFirst().reduce(arms[0]) { $0 + " UNION ALL " + $1 }
        return "(" + merged + " ORDER BY quality_score, created_at, id" + take + ") AS walks_merged"
    }

    /// A caller who sees one client (an API key, an SDR of one client) reads that client's queue as if
    /// chosen: through the client's own indexes, not the whole queue's with every other client's
    /// rows read and dropped (twenty times the rows with twenty clients).
    static func narrowed(_ filter: QueueFilter, clientIDs: [Int]?) -> QueueFilter {
        guard filter.clientID == nil, let first = clientIDs?.first, clientIDs?.allSatisfy({ $0 == first }) == true else { return filter }
        var narrowed = filter
        narrowed.clientID = first
        return narrowed
    }

    /// SQLite's planner, without statistics (nothing runs ANALYZE), guesses that "status IN (two values)"
    /// picks few rows, reads them through generated_emails_queue and sorts them all — the whole backlog,
    /// to show 50; with a template or date filter it may prefer that column's index and sort what it
    /// finds. Naming the index that holds the walk's rows in queue order (the batch's own, within a
    /// batch) makes it stop after a page.
    /// PostgreSQL keeps its own statistics and picks these indexes itself.
    private func index(_ filter: QueueFilter) -> SQLQueryString {
        guard database.dialect == .sqlite, filter.search == nil else { return "" }
        switch filter.status {
        case .awaitingReview: return filter.clientID == nil ? " INDEXED BY generated_emails_awaiting" : " INDEXED BY generated_emails_client_awaiting"
        case .only where filter.batchID != nil: return " INDEXED BY generated_emails_batch_queue"
        case .only: return filter.clientID == nil ? " INDEXED BY generated_emails_queue" : " INDEXED BY generated_emails_client_queue"
        case .reviewed, .all: return ""
        }
    }

    /// A search's walk: the first `limit + 1` emails after the cursor in queue order whose text holds
    /// the words, among the next `searchWindow` emails of the filter. The ordered walks stream their
    /// emails, each is checked as it comes, and the walk stops at a page of matches.
    public func searchWalkQuery(_ filter: QueueFilter, after cursor: QueueCursor? = nil, limit: Int = pageSize, clientIDs: [Int]? = nil)
        -> SQLQueryString
    {
        var plain = Self.narrowed(filter, clientIDs: clientIDs)
        plain.search = nil
        let check = SearchCondition.checked(filter.search?.lowercased() ?? "", dialect: database.dialect)
        let window =
            walks(plain, after: cursor, clientIDs: clientIDs, limit: searchWindow)
            .map { "SELECT id, quality_score, created_at FROM " + $0 }
            ?? SQLQueryString("SELECT e.id, e.quality_score, e.created_at FROM generated_emails e") + index(plain) + " WHERE "
            + Self.conditions(plain, clientIDs: clientIDs, dialect: database.dialect) + Self.after(cursor)
            + SQLQueryString(" ORDER BY e.quality_score, e.created_at, e.id LIMIT \(literal: searchWindow)")
        let matches = "SELECT w.id FROM (" + window + ") AS w" + check + SQLQueryString(" LIMIT \(literal: limit + 1)")
        return SQLQueryString("SELECT ") + EmailRows.columns + " FROM generated_emails e JOIN clients c ON c.id = e.client_id " + EmailRows.userJoins
            + " WHERE e.id IN (" + matches + ") ORDER BY e.quality_score, e.created_at, e.id"
    }

    static func after(_ cursor: QueueCursor?) -> SQLQueryString {
        guard let cursor else { return "" }
        return SQLQueryString(" AND (e.quality_score, e.created_at, e.id) > (\(bind: cursor.score), \(bind: cursor.createdAt), \(bind: cursor.id))")
    }

    /// The SQL of ``count(_:clientIDs:cap:)``.
    public func countQuery(_ filter: QueueFilter, clientIDs: [Int]? = nil, cap: Int? = nil) -> SQLQueryString {
        let filter = Self.narrowed(filter, clientIDs: clientIDs)
        let matching = SQLQueryString("generated_emails e WHERE ") + Self.conditions(filter, clientIDs: clientIDs, dialect: database.dialect)
        guard let cap else { return "SELECT COUNT(*) AS n FROM " + matching }
        return "SELECT COUNT(*) AS n FROM (SELECT 1 FROM " + matching + SQLQueryString(" LIMIT \(literal: max(cap, 0))) AS capped")
    }

    static func conditions(_ filter: QueueFilter, clientIDs: [Int]?, dialect: DatabaseDialect) -> SQLQueryString {
        // Awaiting review is written as fixed SQL so the planner can match the partial indexes of 0003.
        var parts: [SQLQueryString] = [
            filter.status == .awaitingReview
                ? SQLQueryString("e.status IN \(unsafeRaw: ReviewStatus.awaitingSQL)")
                : SQLStatements.inList("e.status", filter.status.statuses.map(\.rawValue))
        ]
        if let clientIDs { parts.append(SQLStatements.inList("e.client_id", clientIDs)) }
        if let id = filter.clientID { parts.append("e.client_id = \(bind: id)") }
        if let id = filter.templateID { parts.append("e.template_id = \(bind: id)") }
        if let id = filter.batchID { parts.append("e.batch_id = \(bind: id)") }
        if let id = filter.reviewerID { parts.append("e.reviewer_id = \(bind: id)") }
        if let from = filter.from.flatMap(LocalDay.utcMidnight(of:)) { parts.append("e.created_at >= \(bind: from)") }
        if let to = filter.to.flatMap(LocalDay.utcMidnight(of:)) { parts.append("e.created_at < \(bind: to + 86_400_000)") }
        if let min = filter.minScore { parts.append("e.quality_score >= \(bind: min)") }
        if let max = filter.maxScore { parts.append("e.quality_score <= \(bind: max)") }
        if let search = filter.search?.lowercased(), !search.isEmpty {
            parts.append(SearchCondition.contains("e.search_text", search, dialect: dialect))
        }
        return parts.dropFirst().reduce(parts[0]) { $0 + " AND " + $1 }
    }
}
