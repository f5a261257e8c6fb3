import Foundation
import SQLKit
import GreenlightCore

/// Each site's text (or why it could not be read) kept per domain in the database for `ttl`, so a
/// site is fetched once for all its contacts, batches and instances.
public struct WebsiteCache: Sendable {
    let database: Database
    let ttl: Duration
    let clock: TimeSource

    public init(database: Database, ttl: Duration = .seconds(24 * 3600), clock: TimeSource = .system) {
        self.database = database
        self.ttl = ttl
        self.clock = clock
    }

    func get(_ domain: String) async throws -> WebsiteReader.Reading? {
        let oldest = clock.nowMillis() - Int(ttl.components.seconds) * 1000
        guard
            let row = try await database.read({ sql in
                try await sql.raw("SELECT text, problem FROM website_cache WHERE domain = \(bind: domain) AND fetched_at >= \(bind: oldest)").first()
            })
        else { return nil }
        return WebsiteReader.Reading(
            text: try row.decode(column: "text", as: String?.self),
            problems: try row.decode(column: "problem", as: String?.self).map { [$0] } ?? [])
    }

    func put(_ domain: String, _ reading: WebsiteReader.Reading) async throws {
        let now = clock.nowMillis()
        try await database.write { sql in
            try await sql.raw(
                """
                INSERT INTO website_cache (domain, text, problem, fetched_at) VALUES (\(bind: domain), \(bind: reading.text), \(bind: reading.problems.first), \(bind: now))
                ON CONFLICT (domain) DO UPDATE SET text = excluded.text, problem = excluded.problem, fetched_at = excluded.fetched_at
                """
            ).run()
        }
    }
}
