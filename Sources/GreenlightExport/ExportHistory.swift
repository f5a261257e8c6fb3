import Foundation
import SQLKit
import GreenlightCore
import GreenlightWork

/// What the export page and API show of a client's exports: the runs with their counts and
/// campaigns, each run's per-lead outcomes, the preview of what a run now would send, and when the
/// schedule runs next.
public struct ExportHistory: Sendable {
    /// One run, as recorded.
    public struct Run: Sendable, Equatable {
        public var id: Int
        public var clientID: Int
        public var trigger: String
        public var status: ExportRunStatus
        public var localDay: String?
        public var claimed: Int
        public var sent: Int
        public var failed: Int
        public var error: String?
        public var startedAt: Int
        public var finishedAt: Int?
        public var campaigns: [(name: String, id: String?)]

        public static func == (lhs: Run, rhs: Run) -> Bool {
            lhs.id == rhs.id && lhs.status == rhs.status && lhs.sent == rhs.sent && lhs.failed == rhs.failed
        }
    }

    /// One email's outcome in a run.
    public struct Item: Sendable, Equatable {
        public var emailID: Int
        public var contactEmail: String
        public var status: ExportItemStatus
        public var leadID: String?
        public var error: String?
    }

    /// The emails a run now would send to one campaign.
    public struct PreviewCampaign: Sendable, Equatable {
        public var campaignName: String
        public var count: Int
        public var firstContacts: [String]
        /// The first emails as they will go (at most ``sampleCount``).
        public var samples: [Sample] = []
    }

    /// One email of a preview: to whom, and the subject and text that will go.
    public struct Sample: Sendable, Equatable {
        public var contactEmail: String
        public var subject: String
        public var body: String
    }

    /// How many emails a preview shows in full per campaign.
    static let sampleCount = 3

    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The client's latest runs, newest first.
    public func runs(clientID: Int, limit: Int = 20) async throws -> [Run] {
        try await runs(clientIDs: [clientID], limit: limit)
    }

    /// The latest runs of these clients (all when nil), newest first.
    public func runs(clientIDs: [Int]?, limit: Int) async throws -> [Run] {
        try await database.read { sql in
            let rows = try await sql.raw(
                SQLQueryString(
                    """
                    SELECT id, client_id, run_trigger, status, local_day, claimed, sent, failed, error, started_at, finished_at FROM export_runs WHERE 1 = 1
                    """) + SQLStatements.visible("client_id", to: clientIDs) + SQLQueryString(" ORDER BY id DESC LIMIT \(bind: limit)")
            ).all()
            var runs = try rows.map(Self.run(from:))
            for index in runs.indices {
                runs[index].campaigns = try await sql.raw(
                    "SELECT name, campaign_id FROM export_campaigns WHERE run_id = \(bind: runs[index].id) ORDER BY id"
                ).all().map {
                    (try $0.decode(column: "name", as: String.self), try $0.decode(column: "campaign_id", as: String?.self))
                }
            }
            return runs
        }
    }

    /// One run, if it belongs to a visible client.
    public func run(id: Int, clientIDs: [Int]?) async throws -> Run? {
        try await database.read { sql in
            let query =
                SQLQueryString(
                    """
                    SELECT id, client_id, run_trigger, status, local_day, claimed, sent, failed, error, started_at, finished_at FROM export_runs WHERE id = \(bind: id)
                    """) + SQLStatements.visible("client_id", to: clientIDs)
            guard var run = try await sql.raw(query).first().map(Self.run(from:)) else { return nil }
            run.campaigns = try await sql.raw("SELECT name, campaign_id FROM export_campaigns WHERE run_id = \(bind: id) ORDER BY id").all().map {
                (try $0.decode(column: "name", as: String.self), try $0.decode(column: "campaign_id", as: String?.self))
            }
            return run
        }
    }

    /// A run's emails with their outcome, in email order.
    public func items(runID: Int, limit: Int = 10_000) async throws -> [Item] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT i.email_id, e.contact_email, i.status, i.sequencer_lead_id, i.error FROM export_items i JOIN generated_emails e ON e.id = i.email_id
                WHERE i.run_id = \(bind: runID) ORDER BY i.email_id LIMIT \(bind: limit)
                """
            ).all().map {
                Item(
                    emailID: try $0.decode(column: "email_id", as: Int.self), contactEmail: try $0.decode(column: "contact_email", as: String.self),
                    status: try $0.decode(status: "status", as: ExportItemStatus.self),
                    leadID: try $0.decode(column: "sequencer_lead_id", as: String?.self),
                    error: try $0.decode(column: "error", as: String?.self))
            }
        }
    }

    /// What a run started at `now` would send: approved emails not sent nor open in a run nor suppressed, by campaign.
    public func preview(clientID: Int, now: Int) async throws -> [PreviewCampaign] {
        try await database.read { sql in
            let settings = try await ExportSettings.load(sql, clientID: clientID)
            let day = LocalDay.of(millis: now, timeZone: settings.timezone)
            let rows = try await sql.raw(
                """
                SELECT t.name AS template, e.contact_email, COALESCE(e.final_subject, e.subject) AS subject, COALESCE(e.final_body, e.body) AS body
                FROM generated_emails e JOIN templates t ON t.id = e.template_id
                WHERE e.client_id = \(bind: clientID) AND e.status IN \(unsafeRaw: ExportLedger.approved) AND COALESCE(e.reviewed_at, e.created_at) <= \(bind: now)
                AND NOT EXISTS (SELECT 1 FROM export_items o WHERE o.email_id = e.id AND o.status IN \(unsafeRaw: ExportItemStatus.openSQL))
                AND NOT \(unsafeRaw: ExportLedger.addressInOpenFile) AND NOT \(unsafeRaw: SuppressionList.matchesEmail)
                ORDER BY t.name, e.id
                """
            ).all()
            var campaigns: [PreviewCampaign] = []
            for row in rows {
                let name = "\(settings.clientName) - \(try row.decode(column: "template", as: String.self)) - \(day)"
                let contact = try row.decode(column: "contact_email", as: String.self)
                if campaigns.last?.campaignName != name { campaigns.append(PreviewCampaign(campaignName: name, count: 0, firstContacts: [])) }
                let last = campaigns.count - 1
                campaigns[last].count += 1
                if campaigns[last].firstContacts.count < 10 { campaigns[last].firstContacts.append(contact) }
                if campaigns[last].samples.count < Self.sampleCount {
                    campaigns[last].samples.append(
                        Sample(
                            contactEmail: contact, subject: try row.decode(column: "subject", as: String.self),
                            body: try row.decode(column: "body", as: String.self)))
                }
            }
            return campaigns
        }
    }

    /// When the schedule exports the client next: its hour today if that is still ahead and today's
    /// run is not recorded, else tomorrow's (as local date and hour).
    public func nextScheduled(clientID: Int, now: Int) async throws -> String {
        try await database.read { sql in
            let settings = try await ExportSettings.load(sql, clientID: clientID)
            let today = LocalDay.of(millis: now, timeZone: settings.timezone)
            let struck = ExportScheduler.lastStruck(now: now, timeZone: settings.timezone, exportHour: settings.exportHour) == today
            let ranToday =
                try await sql.raw("SELECT id FROM export_runs WHERE client_id = \(bind: clientID) AND local_day = \(bind: today)").first() != nil
            let day = struck || ranToday ? (LocalDay.adding(1, to: today) ?? today) : today
            return "\(day) \(String(format: "%02d", settings.exportHour)):00 \(settings.timezone)"
        }
    }

    static func run(from row: any SQLRow) throws -> Run {
        Run(
            id: try row.decode(column: "id", as: Int.self), clientID: try row.decode(column: "client_id", as: Int.self),
            trigger: try row.decode(column: "run_trigger", as: String.self), status: try row.decode(status: "status", as: ExportRunStatus.self),
            localDay: try row.decode(column: "local_day", as: String?.self), claimed: try row.decode(column: "claimed", as: Int.self),
            sent: try row.decode(column: "sent", as: Int.self), failed: try row.decode(column: "failed", as: Int.self),
            error: try row.decode(column: "error", as: String?.self), startedAt: try row.decode(column: "started_at", as: Int.self),
            finishedAt: try row.decode(column: "finished_at", as: Int?.self), campaigns: [])
    }
}
