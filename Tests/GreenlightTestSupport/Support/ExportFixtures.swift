import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import SQLKit
import Testing

/// Export helpers the export, CLI and security tests share.
package enum ExportFixtures {
    /// A reviewer acting from outside the web (no user id).
    package static let sam = Reviewer(id: nil, name: "Sam")

    /// The emails' statuses, in the order of `ids` ("missing" for an id not found).
    package static func statuses(_ database: Database, _ ids: [Int]) async throws -> [String] {
        let byID = try await database.read { sql in
            try await sql.raw("SELECT id, status FROM generated_emails WHERE id IN (\(binds: ids))").all().reduce(into: [Int: String]()) {
                $0[try $1.decode(column: "id", as: Int.self)] = try $1.decode(column: "status", as: String.self)
            }
        }
        return ids.map { byID[$0] ?? "missing" }
    }

    /// Records a run of the client that a crash left with `emailIDs` unanswered in campaign
    /// `campaignID`, already failed once (as the command line or an older version could leave it).
    package static func strand(_ database: Database, clientID: Int, emailIDs: [Int], campaignID: String) async throws -> Int {
        let now = TimeSource.system.nowMillis()
        return try await database.write { sql in
            let run = try #require(
                try await sql.raw(
                    """
                    INSERT INTO export_runs (client_id, kind, status, run_trigger, started_at, finished_at, failures)
                    VALUES (\(bind: clientID), 'instantly', 'failed', 'manual', \(bind: now), \(bind: now), 1) RETURNING id
                    """
                ).first()?.decode(column: "id", as: Int.self))
            let template = try #require(
                try await sql.raw("SELECT template_id FROM generated_emails WHERE id = \(bind: emailIDs[0])").first()?.decode(
                    column: "template_id", as: Int.self))
            try await sql.raw(
                """
                INSERT INTO export_campaigns (run_id, template_id, name, campaign_id, status) VALUES (\(bind: run), \(bind: template), 'Northwind - gone', \(bind: campaignID), 'created')
                """
            ).run()
            try await sql.raw(
                """
                INSERT INTO export_items (run_id, email_id, status, batch, updated_at)
                SELECT \(bind: run), id, 'sending', 1, \(bind: now) FROM generated_emails WHERE id IN (\(binds: emailIDs))
                """
            ).run()
            return run
        }
    }

    /// Waits until the run is no longer `running` (the run goes on in a background task), for up to
    /// 60 s of real time: on two loaded cores a run against the loopback fake can take seconds.
    package static func settled(_ database: Database, runID: Int) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let status = try await database.read { sql in
                try await sql.raw("SELECT status FROM export_runs WHERE id = \(bind: runID)").first()?.decode(column: "status", as: String.self)
            }
            if let status, status != "running" {
                // The lease is released just after the run's last write.
                while ContinuousClock.now < deadline {
                    let held = try await database.read { sql in
                        try await sql.raw("SELECT export_lease_owner FROM clients WHERE export_lease_owner IS NOT NULL").first() != nil
                    }
                    if !held { return status }
                    try await Task.sleep(for: .milliseconds(10))
                }
                return status
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        return "still running"
    }
}
