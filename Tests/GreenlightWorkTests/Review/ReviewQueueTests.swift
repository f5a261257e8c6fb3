import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

@Suite("Review queue")
struct ReviewQueueTests {
    /// The ids a filter should list, in queue order, computed independently of ReviewQueue.
    static func expected(_ database: Database, where condition: (EmailSummary) -> Bool) async throws -> [Int] {
        var all: [EmailSummary] = []
        let repository = EmailRepository(database: database)
        let ids = try await database.read { sql in
            try await sql.raw("SELECT id FROM generated_emails").all().map { try $0.decode(column: "id", as: Int.self) }
        }
        for id in ids { if let email = try await repository.summary(id: id) { all.append(email) } }
        return all.filter(condition).sorted { ($0.qualityScore, $0.createdAt, $0.id) < ($1.qualityScore, $1.createdAt, $1.id) }.map(\.id)
    }

    static func walk(_ queue: ReviewQueue, _ filter: QueueFilter, limit: Int, clientIDs: [Int]? = nil) async throws -> [EmailSummary] {
        var seen: [EmailSummary] = []
        var cursor: QueueCursor?
        var pages = 0
        repeat {
            let page = try await queue.page(filter, after: cursor, limit: limit, clientIDs: clientIDs)
            seen += page.emails
            cursor = page.next
            pages += 1
            #expect(pages < 100, "paging must end")
        } while cursor != nil && pages < 100
        return seen
    }

    @Test("paging visits every email exactly once, in order, with any filter", arguments: DatabaseDialect.allCases)
    func pagingWithFilters(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 90)
            let other = try await Seed.make(database, contacts: 40, clientName: "Second Client")
            try await Seed.spreadScores(database)
            let queue = ReviewQueue(database: database)
            let day = { (offset: Int) in
                let date = Date(timeIntervalSince1970: Double(1_767_225_600 + offset * 86_400))
                let formatter = DateFormatter()
                formatter.timeZone = TimeZone(identifier: "UTC")
                formatter.dateFormat = "yyyy-MM-dd"
                return formatter.string(from: date)
            }
            let filters: [(QueueFilter, (EmailSummary) -> Bool)] = [
                (QueueFilter(), { _ in true }),
                (QueueFilter(clientID: seed.clientID), { $0.clientID == seed.clientID }),
                (QueueFilter(templateID: other.templateID), { $0.templateID == other.templateID }),
                (
                    QueueFilter(batchID: seed.batchID, minScore: 20, maxScore: 70),
                    { $0.batchID == seed.batchID && (20...70).contains($0.qualityScore) }
                ),
                (
                    QueueFilter(from: day(2), to: day(4)),
                    { $0.createdAt >= 1_767_225_600_000 + 2 * 86_400_000 && $0.createdAt < 1_767_225_600_000 + 5 * 86_400_000 }
                ),
                (
                    QueueFilter(clientID: other.clientID, minScore: 50, search: "company1"),
                    { $0.clientID == other.clientID && $0.qualityScore >= 50 && $0.companyName.lowercased().contains("company1") }
                ),
                (QueueFilter(search: "first7"), { $0.contactName.lowercased().contains("first7") }),
                (QueueFilter(search: "100%_\\"), { _ in false }),
            ]
            for (index, (filter, predicate)) in filters.enumerated() {
                let expected = try await Self.expected(database, where: predicate)
                for limit in [7, 50] {
                    let seen = try await Self.walk(queue, filter, limit: limit)
                    #expect(seen.map(\.id) == expected, "filter \(index), page size \(limit)")
                    #expect(Set(seen.map(\.id)).count == seen.count, "no email twice")
                    // A reviewer of several clients: each client's walk merged (see ReviewQueue.pageQuery).
                    let both = try await Self.walk(queue, filter, limit: limit, clientIDs: [other.clientID, seed.clientID])
                    #expect(both.map(\.id) == expected, "filter \(index), page size \(limit), two clients")
                    // A search window smaller than a page: the search index answers, and the pages are the same.
                    let narrow = try await Self.walk(ReviewQueue(database: database, searchWindow: 3), filter, limit: limit)
                    #expect(narrow.map(\.id) == expected, "filter \(index), page size \(limit), search window 3")
                    // On SQLite the search index's matches are few here and are read by id; counted as many,
                    // the filter's index is walked in order and each email checked against them.
                    let ordered = try await Self.walk(ReviewQueue(database: database, searchWindow: 3, fewMatchLimit: 0), filter, limit: limit)
                    #expect(ordered.map(\.id) == expected, "filter \(index), page size \(limit), search window 3, matches counted as many")
                    let oneOfThem = try await Self.walk(queue, filter, limit: limit, clientIDs: [other.clientID, 999_999])
                    #expect(
                        oneOfThem.map(\.id) == expected.filter { id in both.first { $0.id == id }?.clientID == other.clientID },
                        "filter \(index), page size \(limit), one visible client")
                }
                #expect(try await queue.count(filter) == expected.count, "count for filter \(index)")
                for cap in [0, 3, expected.count, expected.count + 5] {
                    #expect(try await queue.count(filter, cap: cap) == min(cap, expected.count), "count capped at \(cap) for filter \(index)")
                }
            }
        }
    }

    @Test("emails reviewed between two pages neither shift nor repeat the rest", arguments: DatabaseDialect.allCases)
    func reviewingWhilePaging(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            _ = try await Seed.make(database, contacts: 30)
            try await Seed.spreadScores(database)
            let reviewer = try await Seed.user(database, email: "sam@team.example").reviewer
            let queue = ReviewQueue(database: database)
            let before = try await Self.walk(queue, QueueFilter(), limit: 10).map(\.id)
            let first = try await queue.page(QueueFilter(), limit: 10)
            for email in first.emails.prefix(5) {
                _ = try await ReviewDecider(database: database).decide(.approve, emailID: email.id, by: reviewer)
            }
            let second = try await queue.page(QueueFilter(), after: first.next, limit: 10)
            #expect(second.emails.map(\.id) == Array(before[10..<20]))
        }
    }

    @Test("bad filters are refused with the name of the field")
    func badFilters() throws {
        let cases: [([String: String], String)] = [
            (["min_score": "abc"], "min_score"), (["max_score": "101"], "max_score"), (["client": "-3"], "client"),
            (["from": "2026-13-01"], "from"), (["status": "lost"], "status"), (["min_score": "80", "max_score": "20"], "min_score"),
            (["from": "2026-02-01", "to": "2026-01-01"], "from"),
        ]
        for (parameters, field) in cases {
            do {
                _ = try QueueFilter(parameters: parameters)
                Issue.record("\(parameters) accepted")
            } catch {
                #expect(error.field == field)
            }
        }
        #expect(throws: InputError.self) { try QueueCursor(token: "not-a-cursor") }
        let cursor = QueueCursor(score: 42, createdAt: 1_700_000_000_000, id: 99)
        #expect(try QueueCursor(token: cursor.token) == cursor)
    }
}
