import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// The queue's queries walk an index in order and stop after a page, whatever the backlog's size:
/// no full scan of the emails and no sort of the matching set — for every status the UI and the API
/// offer (pending, reviewed, all, each single one), alone and with a client, an SDR's several
/// clients, a template, a batch, dates, a score range and a deep page. The walks merge as they stream;
/// only the page's own rows, looked up by id, are sorted. SQLite, without statistics; a
/// search goes through the trigram index. PostgreSQL's plans depend on table statistics: the same
/// filters are checked there after ANALYZE in ``QueuePlanPostgresTests``, and `bench/run` prints them
/// at 100k and 1M.
@Suite("Queue query plans")
struct QueuePlanTests {
    static let statuses: [QueueFilter.StatusChoice] = [.awaitingReview, .reviewed, .all] + ReviewStatus.allCases.map { .only($0) }

    @Test(arguments: statuses)
    func everyFilterWalksAnIndex(_ status: QueueFilter.StatusChoice) async throws {
        try await TestDatabase.with(.sqlite) { database in
            let seed = try await Seed.make(database, contacts: 5)
            let queue = ReviewQueue(database: database)
            let extras: [(String, (inout QueueFilter) -> Void, QueueCursor?)] = [
                ("first page", { _ in }, nil),
                ("deep page", { _ in }, QueueCursor(score: 40, createdAt: 1, id: 3)),
                (
                    "score range",
                    {
                        $0.minScore = 40; $0.maxScore = 90
                    }, nil
                ),
                ("template", { $0.templateID = seed.templateID }, nil),
                ("batch", { $0.batchID = seed.batchID }, nil),
                (
                    "dates",
                    {
                        $0.from = "2026-01-01"; $0.to = "2026-12-31"
                    }, nil
                ),
            ]
            for (label, apply, cursor) in extras {
                for (who, clientID, clientIDs) in [
                    ("everyone", nil, nil), ("one client", seed.clientID, nil), ("an API key's or SDR's one client", nil, [seed.clientID]),
                    ("an SDR's three clients", nil, [seed.clientID, seed.clientID + 1, seed.clientID + 2]),
                    ("an SDR's client chosen", seed.clientID, [seed.clientID, seed.clientID + 1]),
                ] as [(String, Int?, [Int]?)] {
                    var filter = QueueFilter(clientID: clientID, status: status)
                    apply(&filter)
                    let name = "\(status.parameter), \(label), \(who)"
                    let plan = try await QueryPlan.lines(of: queue.pageQuery(filter, after: cursor, clientIDs: clientIDs), in: database)
                    let text = plan.joined(separator: " | ")
                    #expect(!plan.contains { $0.contains("SCAN e") && !$0.contains("USING") }, "\(name) scans the emails: \(text)")
                    #expect(!text.contains("generated_emails_client_reviewed"), "\(name) reads another index and sorts what it finds: \(text)")
                    #expect(
                        filter.batchID == nil || !text.contains("generated_emails_") || text.contains("generated_emails_batch_queue"),
                        "\(name): the batch's own index: \(text)")
                    let walks = plan.filter { $0.contains("USING INDEX generated_emails_") || $0.contains("USING COVERING INDEX generated_emails_") }
                        .count
                    let expected =
                        (status == .awaitingReview && filter.batchID == nil ? 1 : status.statuses.count)
                        * (clientIDs != nil && clientID == nil ? clientIDs!.count : 1)
                    // Rows of some clients only are read through the clients' own indexes (or the batch's).
                    if clientID != nil || clientIDs != nil {
                        let walked = plan.filter { $0.contains("INDEX generated_emails_") }
                        #expect(
                            walked.allSatisfy { $0.contains("generated_emails_client_") || $0.contains("generated_emails_batch_queue") },
                            "\(name) walks the whole queue's index and drops other clients' rows: \(text)")
                    }
                    #expect(walks >= expected, "\(name): \(expected) ordered walks expected: \(text)")
                    // A walk's order is its index and the walks merge as they stream: only the page's own rows may be sorted.
                    let sorts = plan.filter { $0.contains("TEMP B-TREE FOR ORDER BY") }.count
                    #expect(sorts == 0 || (expected > 1 && text.contains("walks_merged") && sorts == 1), "\(name) sorts the matching set: \(text)")
                    let count = try await QueryPlan.lines(of: queue.countQuery(filter, clientIDs: clientIDs, cap: 10), in: database).joined(
                        separator: " | ")
                    #expect(count.contains("INDEX"), "\(name) count: \(count)")
                    // A search first walks the emails in queue order: the same walks, merged, each email
                    // checked as it comes; SQLite sorts nothing it reads from the emails but the walks'
                    // limited output (to merge them) and the page's own rows, looked up by id.
                    var searching = filter
                    searching.search = "company 1"
                    let window = try await QueryPlan.lines(of: queue.searchWalkQuery(searching, after: cursor, clientIDs: clientIDs), in: database)
                    let windowText = window.joined(separator: " | ")
                    let windowWalks = window.filter {
                        $0.contains("USING INDEX generated_emails_") || $0.contains("USING COVERING INDEX generated_emails_")
                    }.count
                    #expect(windowWalks >= expected, "\(name), search: \(windowText)")
                    #expect(window.filter { $0.contains("TEMP B-TREE FOR ORDER BY") }.count <= 1, "\(name), search sorts its walks: \(windowText)")
                    #expect(!window.contains { $0.contains("SCAN e") && !$0.contains("USING") }, "\(name), search scans the emails: \(windowText)")
                    // Each email's text comes from its own row in email_search_text, found by its key.
                    #expect(window.contains { $0.contains("SEARCH s USING INTEGER PRIMARY KEY") }, "\(name), search reads the texts: \(windowText)")
                    for (index, line) in window.enumerated() where line.contains("TEMP B-TREE FOR ORDER BY") {
                        var source = ""
                        for earlier in window[..<index] where earlier.hasPrefix("SCAN ") || earlier.hasPrefix("SEARCH ") { source = earlier }
                        #expect(
                            source.contains("INTEGER PRIMARY KEY") || !(source.hasPrefix("SCAN e") || source.hasPrefix("SEARCH e")),
                            "\(name), search sorts the emails it reads: [\(source)] \(windowText)")
                    }
                }
            }
            var searched = QueueFilter(clientID: seed.clientID, minScore: 40, maxScore: 90, status: status, search: "company 1")
            let search = try await QueryPlan.lines(of: queue.pageQuery(searched), in: database).joined(separator: " | ")
            #expect(search.contains("email_search"), "search goes through the trigram index: \(search)")
            // Few matches in the search index: read by id and sorted, no ordered walk through the whole filter.
            let few = try await QueryPlan.lines(of: queue.pageQuery(searched, fewMatches: true), in: database).joined(separator: " | ")
            #expect(
                few.contains("SEARCH e USING INTEGER PRIMARY KEY") && few.contains("email_search") && !few.contains("INDEX generated_emails_"),
                "\(few)")
            searched.clientID = nil
            let anywhere = try await QueryPlan.lines(of: queue.pageQuery(searched), in: database).joined(separator: " | ")
            #expect(anywhere.contains("email_search"), "\(anywhere)")
        }
    }

    @Test("the merged walks give the same pages, in the same order, as one sorted query", arguments: DatabaseDialect.allCases)
    func mergedPagesMatch(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 40)
            try await Seed.spreadScores(database)
            let ids = try await ReviewQueue(database: database).page(QueueFilter(), limit: 200).emails.map(\.id)
            for (index, id) in ids.enumerated() where index % 3 != 0 {
                let decision: ReviewDecision = index % 3 == 1 ? .approve : .reject(reason: .wrongPersona, details: nil)
                _ = try await ReviewDecider(database: database).decide(decision, emailID: id, by: Reviewer(id: nil, name: "Sam"))
            }
            let queue = ReviewQueue(database: database)
            var found = 0
            for status in Self.statuses {
                for (clientIDs, search) in [(nil, nil), ([seed.clientID, seed.clientID + 1], nil), (nil, "company1"), ([seed.clientID], "company2")]
                    as [([Int]?, String?)]
                {
                    // Page through with the merged walks, 7 at a time, and compare with the plain ordered list.
                    var paged: [Int] = []
                    var cursor: QueueCursor?
                    repeat {
                        let page = try await queue.page(QueueFilter(status: status, search: search), after: cursor, limit: 7, clientIDs: clientIDs)
                        paged += page.emails.map(\.id)
                        cursor = page.next
                    } while cursor != nil
                    let wanted = status.statuses.map(\.rawValue)
                    let pattern = "%" + (search ?? "") + "%"
                    let expected = try await database.read { sql in
                        try await sql.raw(
                            """
                            SELECT id FROM generated_emails WHERE status IN (\(binds: wanted)) AND search_text LIKE \(bind: pattern) ORDER BY quality_score, created_at, id
                            """
                        ).all().map { try $0.decode(column: "id", as: Int.self) }
                    }
                    #expect(
                        paged == expected,
                        "\(status.parameter) \(clientIDs.map { "\($0.count) clients" } ?? "") \(search ?? ""): \(paged.count) paged, \(expected.count) expected"
                    )
                    if search != nil { found += expected.count }
                }
            }
            #expect(found > 0, "the searches matched something")
        }
    }
}
