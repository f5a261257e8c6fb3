/// What the work reports about itself for the server's metrics: decisions saved, contacts drafted,
/// imports and export runs. The server's ``AppMetrics`` keeps them for `/metrics`; the work knows
/// only this, so drafting, review and export never depend on how the figures are served.
public protocol WorkMetrics: Sendable {
    /// A human decision (approve, edit, reject) saved.
    func decided(_ action: String)
    /// A drafting worker stored a handful: contacts drafted and failed, and how long the handful took.
    func drafted(stored: Int, failed: Int, duration: Duration)
    /// An import finished: rows imported and skipped, how long it took, and where it came from (`upload`, `api`).
    func imported(rows: Int, skipped: Int, duration: Duration, source: String)
    /// An export run ended: emails sent, its outcome (`finished`, `failed`, …) and how long it took.
    func exported(sent: Int, outcome: String, duration: Duration)
}
