@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// Every SQLite connection, the writer and each reader, keeps 32 MB of pages: a search checks a
/// thousand emails or more one by one, and with SQLite's 2 MB default each request read them from
/// the file again (BENCHMARKS.md, fifth session of issue 17).
@Suite("SQLite page cache")
struct SQLiteCacheTests {
    @Test("the writer and the readers keep 32 MB")
    func cacheSize() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let written = try await database.write { sql in try await sql.raw("PRAGMA cache_size").first()?.decode(column: "cache_size", as: Int.self)
            }
            #expect(written == -32_768)
            // More reads at once than there are readers, so every reader answers at least once.
            let read = try await withThrowingTaskGroup(of: Int?.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        try await database.read { sql in try await sql.raw("PRAGMA cache_size").first()?.decode(column: "cache_size", as: Int.self) }
                    }
                }
                return try await group.reduce(into: Set<Int?>()) { $0.insert($1) }
            }
            #expect(read == [-32_768])
        }
    }
}
