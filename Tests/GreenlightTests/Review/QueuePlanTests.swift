import Foundation
@testable import Greenlight
import Testing

/// The queue's queries walk an index in order and stop after a page, whatever the backlog's size:
/// no full scan of the emails and no sort of the whole backlog (SQLite's plans are stable enough to
/// assert; PostgreSQL's depend on table statistics and are printed by `bench/run` at 100k and 1M).
@Suite("Queue query plans")
struct QueuePlanTests {
    @Test func queueQueriesUseTheirIndexes() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let seed = try await Seed.make(database, contacts: 5)
            let queue = ReviewQueue(database: database)
            let cases: [(String, QueueFilter, QueueCursor?)] = [
                ("first page", QueueFilter(), nil),
                ("deep page", QueueFilter(), QueueCursor(score: 40, createdAt: 1, id: 3)),
                ("one client", QueueFilter(clientID: seed.clientID), nil),
                ("client, scores and search", QueueFilter(clientID: seed.clientID, minScore: 40, maxScore: 90, search: "company 1"), nil),
            ]
            for (name, filter, cursor) in cases {
                for clientIDs in [nil, [seed.clientID, seed.clientID + 1, seed.clientID + 2]] {
                let plan = try await QueryPlan.lines(of: queue.pageQuery(filter, after: cursor, clientIDs: clientIDs), in: database).joined(separator: " | ")
                let name = name + (clientIDs == nil ? "" : " (an SDR's three clients)")
                #expect(!plan.contains("SCAN e") || plan.contains("USING INDEX generated_emails_"), "\(name): \(plan)")
                // Only a search (few rows, from the trigram index) or the merge of each client's first page may be sorted.
                #expect(!plan.contains("TEMP B-TREE FOR ORDER BY") || filter.search != nil || plan.contains("clients_merged"), "\(name) sorts the backlog: \(plan)")
                if clientIDs != nil && filter.clientID == nil && filter.search == nil {
                    #expect(plan.components(separatedBy: "USING INDEX generated_emails_client_awaiting").count == 4, "each client walks its own index: \(plan)")
                }
                #expect(plan.contains("generated_emails_awaiting") || plan.contains("generated_emails_client_awaiting") || plan.contains("email_search"), "\(name): \(plan)")
                let count = try await QueryPlan.lines(of: queue.countQuery(filter, cap: 10), in: database).joined(separator: " | ")
                #expect(count.contains("INDEX") || count.contains("email_search"), "\(name) count: \(count)")
                }
            }
            let search = try await QueryPlan.lines(of: queue.pageQuery(QueueFilter(search: "company 1")), in: database).joined(separator: " | ")
            #expect(search.contains("email_search"), "search goes through the trigram index: \(search)")
        }
    }
}
