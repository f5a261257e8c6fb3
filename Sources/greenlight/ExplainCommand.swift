import ArgumentParser
import Foundation
import GreenlightCore
import GreenlightWork

/// `greenlight explain`: the query plans of the review queue's page and count, for the filters given.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Print how the database runs the review queue's queries (EXPLAIN), to check they use their indexes.")

    @OptionGroup var options: DatabaseOptions
    @Option(name: .long, help: "Queue filters as in the page's URL, e.g. \"client=3&min_score=40&q=acme\".") var filters: String = ""
    @Option(name: .long, help: "A page cursor (the queue's `after` parameter).") var after: String?
    @Flag(name: .long, help: "PostgreSQL: EXPLAIN ANALYZE (runs the queries and prints timings).") var analyze = false

    func run() async throws {
        let filter: QueueFilter
        let cursor: QueueCursor?
        do {
            filter = try QueueFilter(query: filters)
            cursor = try after.map { try QueueCursor(token: $0) }
        } catch let error as InputError {
            throw ValidationError(error.message)
        }
        try await options.withDatabase { database, _, _ in
            let queue = ReviewQueue(database: database)
            if filter.search != nil {
                print("-- search: the next \(queue.searchWindow) emails in queue order, each checked as it comes, stopping at a page of matches")
                for line in try await QueryPlan.lines(of: queue.searchWalkQuery(filter, after: cursor), in: database, analyze: analyze) {
                    print(line)
                }
                print("-- search: through the search index, when the window holds less than a page")
            }
            print("-- page")
            for line in try await QueryPlan.lines(of: queue.pageQuery(filter, after: cursor), in: database, analyze: analyze) { print(line) }
            if filter.search != nil, database.dialect == .sqlite {
                print(
                    "-- page, when the search index holds at most \(queue.fewMatchLimit) matches in all (these words: \(try await queue.fewMatches(filter) ? "yes" : "no"))"
                )
                for line in try await QueryPlan.lines(of: queue.pageQuery(filter, after: cursor, fewMatches: true), in: database) { print(line) }
            }
            print("-- count (capped at \(ReviewQueue.headerCountCap))")
            for line in try await QueryPlan.lines(of: queue.countQuery(filter, cap: ReviewQueue.headerCountCap), in: database, analyze: analyze) {
                print(line)
            }
        }
    }
}
