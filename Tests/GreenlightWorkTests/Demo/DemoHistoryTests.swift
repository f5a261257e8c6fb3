@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Testing
import GreenlightTestSupport

/// The demo's back-dated decisions explain their scores as the scorer would.
@Suite("Demo history")
struct DemoHistoryTests {
    @Test("each demo score's deductions add up to what it lost and name the variable", arguments: [55, 60, 65, 70, 75, 80, 85, 90, 95, 100])
    func deductionsNameTheirVariable(_ score: Int) {
        let deductions = DemoHistory.deductions(toReach: score)
        #expect(deductions.reduce(0) { $0 + $1.points } == 100 - score)
        for deduction in deductions {
            let named = TemplateVariableCatalog.agentVariables.contains { deduction.detail.hasPrefix("\($0) ") }
            #expect(named, "\(deduction.detail)")
        }
        #expect(
            Set(deductions.filter { $0.code == "fallback" }.map(\.detail)).count == deductions.filter { $0.code == "fallback" }.count,
            "no variable counted twice")
    }
}
