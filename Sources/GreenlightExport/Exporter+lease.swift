import Foundation
import GreenlightCore

/// Who may work on a client's export: the lease one task takes, and who a refusal names.
extension Exporter {
    /// Takes the client's lease for one new task, or throws ``ExportBusy`` naming the run, who
    /// started it and since when.
    func takeLease(clientID: Int, clientName: String, by: String) async throws -> ExportLease {
        let lease = ExportLease(clientID: clientID, owner: LeaseOwner.make(instance: instance), milliseconds: leaseMilliseconds)
        let now = clock.nowMillis()
        if let holder = try await database.write({ sql in try await lease.acquire(sql, now: now, by: by) }) {
            let run = try await ExportLedger(database: database, lease: lease, clock: clock, clientID: clientID).openRun()
            throw ExportBusy(clientName: clientName, holder: holder, runID: run)
        }
        return lease
    }

    /// Who a trigger names when nobody is given: the schedule, or the command.
    static func starter(_ trigger: Trigger, by: String?) -> String {
        if let by { return by }
        switch trigger {
        case .schedule: return "the daily schedule"
        case .command: return "the command greenlight export"
        case .manual: return "a manager"
        }
    }
}
