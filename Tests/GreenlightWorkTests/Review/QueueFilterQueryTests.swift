import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import Testing
import GreenlightTestSupport

/// The queue filter is read from a query string in one place, for the page, the API and `explain`.
@Suite("Queue filter from a query string")
struct QueueFilterQueryTests {
    @Test("decodes + and percent escapes, ignores names it does not know, names a bad value")
    func parses() throws {
        let filter = try QueueFilter(
            query: "client=3&q=acme+corp%26co&status=all&min_score=10&max_score=90&from=2026-01-02&limit=7&after=x&unknown=1")
        #expect(filter == QueueFilter(clientID: 3, from: "2026-01-02", minScore: 10, maxScore: 90, status: .all, search: "acme corp&co"))
        #expect(QueryString.parameters("after=abc&limit=7")["limit"] == "7")
        #expect(try QueueFilter(query: "") == QueueFilter())
        #expect(throws: InputError(field: "client", "client must be a positive whole number, got \"x\"")) { try QueueFilter(query: "client=x") }
    }
}
