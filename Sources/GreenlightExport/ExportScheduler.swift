import Foundation
import Logging
import ServiceLifecycle
import SQLKit
import GreenlightCore

/// The daily export inside `greenlight serve`: once a minute it looks for clients whose
/// export hour has come in their own time zone — daylight-saving changes included, since the hour is
/// read on the local clock — and runs the export of that local day unless it already ran, so a
/// server that was down at the hour catches up when it starts. Unfinished runs are resumed on the
/// next pass, or, after a failure, once ``ExportRetry`` says (1, 5, 15, 60 minutes, then the next
/// export hour). Several instances may run it on one PostgreSQL: the client's lease lets one export at
/// a time, and a scheduled run is recorded once per client and day (a unique index).
public struct ExportScheduler: Service {
    let database: Database
    let exporter: Exporter
    let clock: TimeSource
    let logger: Logger
    let interval: Duration

    public init(database: Database, exporter: Exporter, clock: TimeSource = .system, logger: Logger, interval: Duration = .seconds(60)) {
        self.database = database
        self.exporter = exporter
        self.clock = clock
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                _ = await tick()
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// The last local day whose export hour has struck by `now` on the client's clock: today from
    /// the hour on, else yesterday. (An hour skipped by a daylight-saving change strikes at the next
    /// hour that exists.)
    public static func lastStruck(now: Int, timeZone: String, exportHour: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = LocalDay.zone(timeZone)
        let hour = calendar.component(.hour, from: Clock.date(fromMillis: now))
        let today = LocalDay.of(millis: now, timeZone: timeZone)
        return hour >= exportHour ? today : (LocalDay.adding(-1, to: today) ?? today)
    }

    /// When the client's unfinished run, if it ended `failed`, may be tried again (``ExportRetry``);
    /// nil when it may be now.
    func retryAt(clientID: Int, timeZone: String, exportHour: Int) async throws -> Int? {
        guard
            let row = try await database.read({ sql in
                try await sql.raw(
                    """
                    SELECT r.status, r.failures, r.finished_at FROM export_runs r
                    WHERE r.client_id = \(bind: clientID) AND r.kind <> 'csv' AND \(unsafeRaw: ExportLedger.unfinished) ORDER BY r.id LIMIT 1
                    """
                ).first()
            }), try row.decode(column: "status", as: String.self) == "failed", let failedAt = try row.decode(column: "finished_at", as: Int?.self)
        else { return nil }
        return ExportRetry.next(
            failures: try row.decode(column: "failures", as: Int.self), failedAt: failedAt, timeZone: timeZone, exportHour: exportHour)
    }

    /// One pass over the clients with a sequencer key: each due one is exported (or its open run
    /// resumed). Returns the outcomes by client id; a busy client (another instance) is skipped.
    public func tick() async -> [Int: Exporter.Outcome] {
        let now = clock.nowMillis()
        var outcomes: [Int: Exporter.Outcome] = [:]
        do {
            let clients = try await database.read { sql in
                try await sql.raw(
                    """
                    SELECT c.id, c.name, c.timezone, c.export_hour,
                    CASE WHEN EXISTS (SELECT 1 FROM export_runs r WHERE r.client_id = c.id AND r.local_day IS NOT NULL) THEN 1 ELSE 0 END AS scheduled_before,
                    CASE WHEN EXISTS (SELECT 1 FROM export_runs r WHERE r.client_id = c.id AND r.kind <> 'csv' AND \(unsafeRaw: ExportLedger.unfinished))
                    THEN 1 ELSE 0 END AS unfinished, c.archived_at
                    FROM clients c WHERE c.sequencer_kind IN ('instantly', 'smartlead') AND c.sequencer_key_encrypted IS NOT NULL ORDER BY c.id
                    """
                ).all()
            }
            for row in clients {
                let id = try row.decode(column: "id", as: Int.self)
                let zone = try row.decode(column: "timezone", as: String.self)
                let due = Self.lastStruck(now: now, timeZone: zone, exportHour: try row.decode(column: "export_hour", as: Int.self))
                // A day struck before today is a catch-up after downtime, for a client the schedule already served;
                // a client new to it waits for its hour.
                let catchUp = due != LocalDay.of(millis: now, timeZone: zone)
                let scheduledBefore = try row.decode(column: "scheduled_before", as: Int.self) == 1
                let unfinished = try row.decode(column: "unfinished", as: Int.self) == 1
                let name = try row.decode(column: "name", as: String.self)
                if catchUp, !scheduledBefore, !unfinished { continue }
                // An archived client starts no new export; a run it left unfinished still settles.
                if try row.decode(column: "archived_at", as: Int?.self) != nil, !unfinished { continue }
                let ran = try await database.read { sql in
                    try await sql.raw("SELECT id FROM export_runs WHERE client_id = \(bind: id) AND local_day = \(bind: due)").first() != nil
                }
                guard !ran || unfinished else { continue }
                if unfinished,
                    let retry = try await retryAt(clientID: id, timeZone: zone, exportHour: try row.decode(column: "export_hour", as: Int.self)),
                    now < retry
                {
                    continue
                }
                do {
                    let outcome = try await exporter.run(clientID: id, trigger: .schedule, localDay: due)
                    outcomes[id] = outcome
                    logger.info(
                        "scheduled export",
                        metadata: [
                            "client": "\(name)", "day": "\(due)",
                            "status": "\(outcome.status)", "sent": "\(outcome.sent)",
                        ])
                } catch let busy as ExportBusy {
                    logger.debug("scheduled export skipped: \(busy)")
                } catch {
                    logger.error("scheduled export failed", metadata: ["client": "\(id)", "error": "\(error)"])
                }
            }
        } catch {
            logger.error("export schedule pass failed: \(error)")
        }
        return outcomes
    }
}
