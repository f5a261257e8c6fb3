import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// PostgreSQL's plans depend on the table's statistics, so this test gives it a table worth planning
/// for — 24,000 emails over four clients, every status, scores and dates spread — runs ANALYZE, and
/// then asks for the plan of every filter the UI and the API can produce (each status choice, alone
/// and with a client, an SDR's clients, a template, a batch, dates, a score range and a deep page):
/// no plan reads the emails without an index, and no plan sorts rows of the emails that were not
/// first cut to a page by a `Limit` (the merge of the walks' first pages may be sorted) — for the
/// page, and for a search's walk.
@Suite("Queue query plans on PostgreSQL")
struct QueuePlanPostgresTests {
    /// One node of `EXPLAIN`'s text output.
    final class Node {
        let text: String
        var children: [Node] = []
        init(_ text: String) { self.text = text }

        /// The scans of the emails below this node that no `Limit` stands between (a lookup of one
        /// email by its id, for a row the walks already chose, reads no matching set).
        func unlimitedEmailScans() -> [String] {
            if text.hasPrefix("Limit") { return [] }
            let lookup = text.contains("using generated_emails_pkey") && text.contains(" rows=1 ")
            let own = text.contains(" on generated_emails") && !lookup ? [text] : []
            return own + children.flatMap { $0.unlimitedEmailScans() }
        }

        func all() -> [Node] { [self] + children.flatMap { $0.all() } }
    }

    /// The rows the planner expects of a node (`rows=N` in its cost), 0 when it says none.
    static func estimatedRows(_ text: String) -> Int {
        guard let match = text.firstMatch(of: /rows=(\d+)/) else { return 0 }
        return Int(match.1) ?? 0
    }

    /// The plan's nodes as a tree, from the indentation of their `->` marks.
    static func tree(_ lines: [String]) -> Node? {
        var stack: [(indent: Int, node: Node)] = []
        var root: Node?
        for line in lines {
            let indent: Int
            let text: String
            if let arrow = line.range(of: "->  ") {
                indent = line.distance(from: line.startIndex, to: arrow.lowerBound)
                text = String(line[arrow.upperBound...])
            } else if root == nil {
                indent = -1
                text = line.trimmingCharacters(in: .whitespaces)
            } else {
                continue  // a detail line (Filter, Index Cond, Sort Key …)
            }
            let node = Node(text)
            while let last = stack.last, last.indent >= indent { stack.removeLast() }
            if let parent = stack.last { parent.node.children.append(node) } else { root = node }
            stack.append((indent, node))
        }
        return root
    }

    @Test("after ANALYZE, every filter's page walks indexes and sorts no more than the walks' first pages")
    func everyFilterAfterAnalyze() async throws {
        try await TestDatabase.withPostgres { database in
            let seed = try await Seed.make(database, contacts: 5)
            var clients = [seed.clientID]
            for name in ["Harbor Freight", "Juniper Labs", "Quarry Works"] {
                let (profile, pack) = try RollupRecountTests.profile(name: name, timezone: "Europe/London")
                clients.append(try await ClientRepository(database: database).save(profile: profile, pack: pack))
            }
            try await QueueFixtures.fill(database, clients: clients, rows: 24_000)
            try await database.read { sql in try await sql.raw("ANALYZE").run() }

            let queue = ReviewQueue(database: database)
            let extras: [(String, (inout QueueFilter) -> Void, QueueCursor?)] = [
                ("first page", { _ in }, nil),
                ("deep page", { _ in }, QueueCursor(score: 60, createdAt: 1_700_000_000_000, id: 12_000)),
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
            var checked = 0
            for status in QueuePlanTests.statuses {
                for (label, apply, cursor) in extras {
                    for (who, clientID, clientIDs) in [
                        ("everyone", nil, nil), ("one client", clients[1], nil), ("an API key's one client", nil, [clients[2]]),
                        ("an SDR's three clients", nil, Array(clients.prefix(3))),
                        ("an SDR's client chosen", clients[0], Array(clients.prefix(2))),
                    ] as [(String, Int?, [Int]?)] {
                        var filter = QueueFilter(clientID: clientID, status: status)
                        apply(&filter)
                        var searching = filter
                        searching.search = "company 1"
                        let queries = [
                            ("page", queue.pageQuery(filter, after: cursor, clientIDs: clientIDs)),
                            ("search", queue.searchWalkQuery(searching, after: cursor, clientIDs: clientIDs)),
                        ]
                        for (part, query) in queries {
                            let name = "\(status.parameter), \(label), \(who), \(part)"
                            let lines = try await QueryPlan.lines(of: query, in: database)
                            let text = lines.joined(separator: "\n")
                            guard let plan = Self.tree(lines) else {
                                Issue.record("\(name): no plan")
                                continue
                            }
                            let nodes = plan.all()
                            #expect(
                                !nodes.contains { $0.text.hasPrefix("Seq Scan on generated_emails") },
                                "\(name) reads the emails without an index:\n\(text)")
                            for sort in nodes where sort.text.hasPrefix("Sort") || sort.text.hasPrefix("Incremental Sort") {
                                let scans = sort.unlimitedEmailScans()
                                #expect(scans.isEmpty, "\(name) sorts the matching set (\(scans)):\n\(text)")
                            }
                            #expect(
                                nodes.contains { $0.text.contains("Index") && $0.text.contains("generated_emails") },
                                "\(name) walks no index of the emails:\n\(text)")
                            // Rows of some clients only are read through the clients' own indexes (or the batch's), not the
                            // whole queue's index filtered by client; a lookup of one email by its id is no walk.
                            if clientID != nil || clientIDs != nil {
                                let walked = nodes.filter {
                                    $0.text.contains("using generated_emails_") && !$0.text.contains("using generated_emails_pkey")
                                }
                                #expect(
                                    walked.allSatisfy {
                                        ($0.text.contains("using generated_emails_client_") && !$0.text.contains("client_reviewed"))
                                            || $0.text.contains("using generated_emails_batch_queue")
                                    },
                                    "\(name) walks the whole queue's index and drops other clients' rows:\n\(text)")
                            }
                        }
                        // The count, capped, reads an index — or, where the planner expects the matches to be dense, a
                        // plain scan that the cap's Limit stops early: it expects at least the cap's worth of matches.
                        let countLines = try await QueryPlan.lines(
                            of: queue.countQuery(filter, clientIDs: clientIDs, cap: ReviewQueue.headerCountCap), in: database)
                        let count = countLines.joined(separator: "\n")
                        // Plan lines that are nodes (not Filter / Index Cond details), in order: a plain scan's parent is the node before it.
                        let countNodes = countLines.filter { $0.contains("->  ") || $0 == countLines.first }
                        let stopped = countNodes.indices.allSatisfy { index in
                            guard countNodes[index].contains("Seq Scan on generated_emails") else { return true }
                            return index > 0 && countNodes[index - 1].contains("Limit")
                                && Self.estimatedRows(countNodes[index]) >= ReviewQueue.headerCountCap
                        }
                        #expect(
                            count.contains("Index") || (count.contains("Seq Scan on generated_emails") && stopped),
                            "\(status.parameter), \(label), \(who), count reads more than the cap's worth:\n\(count)")
                        #expect(stopped, "\(status.parameter), \(label), \(who), count scans the emails beyond the cap:\n\(count)")
                        checked += 1
                    }
                }
            }
            #expect(checked == QueuePlanTests.statuses.count * 6 * 5)
        }
    }

}
