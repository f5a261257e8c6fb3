import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import Testing
import GreenlightTestSupport

/// Cohen's kappa against the reference example and the degenerate tables.
@Suite("Cohen's kappa: machine/human agreement")
struct CohenKappaTests {
    @Test("reference: a=70 b=5 c=10 d=15 → p_o 0.85, p_e 0.65, κ 0.5714")
    func reference() throws {
        // p_e = (75/100)(80/100) + (25/100)(20/100) = 0.60 + 0.05 = 0.65; κ = 0.20/0.35.
        let table = CohenKappa(a: 70, b: 5, c: 10, d: 15)
        #expect(table.count == 100)
        let observed = try #require(table.observedAgreement)
        let expected = try #require(table.expectedAgreement)
        let kappa = try #require(table.kappa)
        #expect(abs(observed - 0.85) < 1e-12)
        #expect(abs(expected - 0.65) < 1e-12)
        #expect(abs(kappa - 0.5714) < 0.00005)
    }

    @Test("everything in one cell (a or d): p_e = 1, κ undefined — not enough variety")
    func oneCell() {
        for table in [CohenKappa(a: 40, b: 0, c: 0, d: 0), CohenKappa(a: 0, b: 0, c: 0, d: 40)] {
            #expect(table.observedAgreement == 1)
            #expect(table.expectedAgreement == 1)
            #expect(table.kappa == nil)
        }
    }

    @Test("no emails: nothing is defined")
    func empty() {
        let table = CohenKappa(a: 0, b: 0, c: 0, d: 0)
        #expect(table.observedAgreement == nil)
        #expect(table.expectedAgreement == nil)
        #expect(table.kappa == nil)
    }

    @Test("perfect agreement with variety is κ 1, perfect disagreement κ −1")
    func extremes() {
        // a=5, d=5: p_o 1, p_e 0.5·0.5 + 0.5·0.5 = 0.5 → κ (1 − 0.5)/0.5 = 1.
        #expect(CohenKappa(a: 5, b: 0, c: 0, d: 5).kappa == 1)
        // b=5, c=5: p_o 0, p_e 0.5 → κ (0 − 0.5)/0.5 = −1.
        #expect(CohenKappa(a: 0, b: 5, c: 5, d: 0).kappa == -1)
    }

    @Test("machine always yes, human always no: p_o 0, p_e 0, κ 0")
    func alwaysOpposite() {
        // p_e = (10/10)(0/10) + (0/10)(10/10) = 0 → κ = (0 − 0)/1 = 0.
        let table = CohenKappa(a: 0, b: 10, c: 0, d: 0)
        #expect(table.expectedAgreement == 0)
        #expect(table.kappa == 0)
    }
}
