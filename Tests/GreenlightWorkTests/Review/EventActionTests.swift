import GreenlightCore
import GreenlightEmails
@testable import GreenlightWork
import GreenlightTestSupport
import SQLKit
import Testing

@Suite("Review events")
struct EventActionTests {
    @Test("the SQL naming a decision's event agrees with ReviewStatus.eventAction for every status", arguments: DatabaseDialect.allCases)
    func sqlAgrees(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            for status in ReviewStatus.allCases {
                let action = try await database.read { sql in
                    try await sql.raw(
                        "SELECT \(unsafeRaw: ReviewDecider.actionSQL) AS action FROM (SELECT CAST(\(bind: status.rawValue) AS TEXT) AS status) s"
                    ).first()?.decode(column: "action", as: String.self)
                }
                #expect(action == status.eventAction, "\(status)")
            }
            #expect(Set(ReviewStatus.allCases.map(\.eventAction)) == ["approve", "edit", "reject"])
        }
    }
}
