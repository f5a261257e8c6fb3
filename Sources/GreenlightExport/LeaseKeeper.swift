import Logging
import GreenlightCore

/// Keeps an export task's lease alive while the task waits on the sequencer: every `check` of real
/// time it looks at the task's clock, and once a third of the lease has passed since the last
/// renewal it renews it. A Smartlead campaign chains five or six calls, each with its timeout and
/// retries, so ledger writes alone could let the lease run out under a live task. A renewal that
/// finds the lease taken over stops the keeper; the task's next ledger write or remote call then
/// stops the task (``ExportLedger/renew()``).
struct LeaseKeeper: Sendable {
    let database: Database
    let lease: ExportLease
    let clock: TimeSource
    let check: Duration
    let logger: Logger

    /// Starts renewing in the background; cancel the task when the work ends.
    func start() -> Task<Void, Never> {
        let keeper = self
        return Task {
            var renewed = keeper.clock.nowMillis()
            while !Task.isCancelled {
                try? await Task.sleep(for: keeper.check)
                if Task.isCancelled { return }
                let now = keeper.clock.nowMillis()
                guard now - renewed >= keeper.lease.milliseconds / 3 else { continue }
                do {
                    try await keeper.database.write { sql in try await keeper.lease.renew(sql, now: now) }
                    renewed = now
                } catch let lost as ExportLeaseLost {
                    keeper.logger.warning("\(lost)")
                    return
                } catch {
                    // The database did not answer: try again at the next check, the lease still has two thirds to run.
                    keeper.logger.warning("the export lease of client \(keeper.lease.clientID) was not renewed: \(error)")
                }
            }
        }
    }
}
