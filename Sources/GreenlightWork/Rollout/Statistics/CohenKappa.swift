/// Cohen's kappa: how far the machine's verdict and the human's decision agree beyond what
/// chance alone would give, over the same emails.
///
/// The four counts are the cells of the 2×2 table:
///
/// |             | human yes | human no |
/// |-------------|-----------|----------|
/// | machine yes | a         | b        |
/// | machine no  | c         | d        |
///
/// "Machine yes" is the gate's verdict "auto-approve"; "human yes" is whatever the caller counts
/// as approval (the reference counts `approved` and `approved_edited` as yes, `rejected` as no —
/// the UI must say how edits count).
///
/// p_o = (a + d)/n; p_e = ((a+b)/n)·((a+c)/n) + ((c+d)/n)·((b+d)/n); κ = (p_o − p_e)/(1 − p_e).
///
/// κ is `nil` — show "not enough variety" — when n is 0 or when p_e is 1 (every email in one
/// row and one column, so chance alone already agrees perfectly). p_e = 1 is tested exactly, in
/// integers, so no rounding error can turn it into a division by a tiny number.
public struct CohenKappa: Sendable, Hashable {
    /// Machine yes, human yes.
    public let a: Int
    /// Machine yes, human no.
    public let b: Int
    /// Machine no, human yes.
    public let c: Int
    /// Machine no, human no.
    public let d: Int

    /// The table from its four cells; negative counts are treated as 0.
    public init(a: Int, b: Int, c: Int, d: Int) {
        self.a = max(a, 0)
        self.b = max(b, 0)
        self.c = max(c, 0)
        self.d = max(d, 0)
    }

    /// How many emails both raters judged.
    public var count: Int { a + b + c + d }

    /// The share of emails on which the two agree, p_o, or `nil` when there are none.
    public var observedAgreement: Double? {
        guard count > 0 else { return nil }
        return Double(a + d) / Double(count)
    }

    /// The agreement chance alone would give with the same yes/no shares, p_e, or `nil` when
    /// there are no emails.
    public var expectedAgreement: Double? {
        guard count > 0 else { return nil }
        let n = Double(count)
        return Double(expectedNumerator) / (n * n)
    }

    /// κ, or `nil` when it is undefined ("not enough variety": no emails, or p_e = 1).
    public var kappa: Double? {
        let n = count
        guard n > 0, expectedNumerator != n * n,
            let observed = observedAgreement, let expected = expectedAgreement
        else { return nil }
        return (observed - expected) / (1 - expected)
    }

    /// n² · p_e, in integers: (a+b)(a+c) + (c+d)(b+d).
    private var expectedNumerator: Int {
        (a + b) * (a + c) + (c + d) * (b + d)
    }
}
