import Foundation
import SQLKit
import GreenlightCore

extension ExportHistory {
    /// The export task working on a client now: its run (when it recorded one yet), who started it,
    /// since when.
    public struct ActiveTask: Sendable, Equatable {
        public var runID: Int?
        public var by: String?
        public var since: Int?

        /// "Export run 12 is running, started by Ana at 2026-12-07 10:02 UTC." — beside the disabled button.
        public var sentence: String {
            var text = runID.map { "Export run \($0) is running" } ?? "An export is running"
            if let by { text += ", started by \(by)" }
            if let since { text += " at \(DateText.format(since))" }
            return text + ": reload to follow it."
        }
    }

    /// A campaign created by a run but not started yet, and why the last try failed.
    public struct WaitingCampaign: Sendable, Equatable {
        public var runID: Int
        public var name: String
        public var campaignID: String
        public var error: String?
    }

    /// The client's run left unfinished (leads whose call went unanswered, a campaign not started, or
    /// still `running`), if any: the one the next run resumes first.
    public func unfinishedRun(clientID: Int) async throws -> Int? {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT r.id FROM export_runs r WHERE r.client_id = \(bind: clientID) AND r.kind <> 'csv' AND \(unsafeRaw: ExportLedger.unfinished) ORDER BY r.id LIMIT 1
                """
            ).first()?.decode(column: "id", as: Int.self)
        }
    }

    /// The task holding the client's export lease at `now`, if any.
    public func activeTask(clientID: Int, now: Int) async throws -> ActiveTask? {
        guard
            let row = try await database.read({ sql in
                try await sql.raw(
                    """
                    SELECT export_lease_by, export_lease_since FROM clients
                    WHERE id = \(bind: clientID) AND export_lease_owner IS NOT NULL AND export_lease_expires_at >= \(bind: now)
                    """
                ).first()
            })
        else { return nil }
        return ActiveTask(
            runID: try await unfinishedRun(clientID: clientID), by: try row.decode(column: "export_lease_by", as: String?.self),
            since: try row.decode(column: "export_lease_since", as: Int?.self))
    }

    /// The client's campaigns still to start (the setting "start each campaign at once" was on).
    public func waitingCampaigns(clientID: Int) async throws -> [WaitingCampaign] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT k.run_id, k.name, k.campaign_id, k.activation_error FROM export_campaigns k JOIN export_runs r ON r.id = k.run_id
                WHERE r.client_id = \(bind: clientID) AND k.to_activate = 1 AND k.campaign_id IS NOT NULL ORDER BY k.id
                """
            ).all().map {
                WaitingCampaign(
                    runID: try $0.decode(column: "run_id", as: Int.self), name: try $0.decode(column: "name", as: String.self),
                    campaignID: try $0.decode(column: "campaign_id", as: String.self),
                    error: try $0.decode(column: "activation_error", as: String?.self))
            }
        }
    }
}
