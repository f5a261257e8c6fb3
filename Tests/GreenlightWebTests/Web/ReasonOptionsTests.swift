import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Testing
import GreenlightTestSupport

/// `Views/review/reason-options.mustache` lists the rejection reasons as static text (the queue
/// renders it fifty times a page); it must stay the same list, in the same order, as `RejectionReason`.
@Suite("Rejection reason options")
struct ReasonOptionsTests {
    @Test func templateListsEveryReasonInOrder() async throws {
        let views = try await ViewRenderer(directory: TestDatabase.paths.views)
        let html = try views.render("review/reason-options", [String: String]())
        let options = html.matches(of: /<option value="([a-z_]*)">([^<]*)<\/option>/).map { (String($0.output.1), String($0.output.2)) }
        #expect(options.first?.0 == "", "the first option asks for a choice")
        let expected = RejectionReason.allCases.map { ($0.rawValue, "\($0.key) · \($0.label)") }
        #expect(options.dropFirst().map(\.0) == expected.map(\.0))
        #expect(options.dropFirst().map(\.1) == expected.map(\.1))
        #expect(RejectionReason.allCases.map(\.key) == Array(1...RejectionReason.allCases.count), "keys 1–7 match the option order")
    }
}
