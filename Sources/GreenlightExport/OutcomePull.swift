import Foundation
import Logging
import SQLKit
import GreenlightCore
import GreenlightWork

/// The reconciliation that does not depend on deliveries arriving: each campaign Greenlight made for
/// the client in the last ``recentDays`` days is read lead by lead from the sequencer
/// (``OutcomeReader/leadOutcomes(campaignID:cursor:)``), and what the webhooks missed is recorded
/// (``OutcomeRecorder/recordMissing(_:events:clientID:now:)``). Each page's events and the cursor
/// after it are written in one transaction, so a pull stopped anywhere goes on from its last page
/// and records nothing twice. One pull per client at a time, across instances: a lease on the
/// client's row (``claim(clientID:owner:)``), renewed with each page. Bounces or unsubscribes found
/// ask the outcome guard (``DemotionGuard/checkOutcomes(clientID:)``) whether the client drops a phase.
public struct OutcomePull: Sendable {
    /// What a pull did.
    public struct Report: Sendable, Equatable {
        public var campaigns = 0
        public var leads = 0
        public var requests = 0
        /// Events the webhooks had not brought.
        public var recorded = 0
        /// Addresses newly suppressed.
        public var suppressed = 0

        public var sentence: String {
            "\(campaigns) campaign\(campaigns == 1 ? "" : "s"), \(leads) lead\(leads == 1 ? "" : "s") read in \(requests) request\(requests == 1 ? "" : "s"): "
                + "\(recorded) outcome\(recorded == 1 ? "" : "s") the webhooks had not brought\(suppressed > 0 ? ", \(suppressed) address\(suppressed == 1 ? "" : "es") suppressed" : "")"
        }
    }

    /// Why a pull did not start.
    public struct Refused: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    let database: Database
    let secrets: ClientSecrets
    let factory: SequencerFactory
    let demotions: DemotionGuard
    let clock: TimeSource
    /// Campaigns made within this many days are read.
    public var recentDays = 60
    /// How long a lease lasts without a renewal.
    let leaseMillis = 10 * 60_000

    public init(database: Database, secrets: ClientSecrets, factory: SequencerFactory, demotions: DemotionGuard, clock: TimeSource = .system) {
        self.database = database
        self.secrets = secrets
        self.factory = factory
        self.demotions = demotions
        self.clock = clock
    }

    /// Pulls the client's recent campaigns now (a manager's button, `greenlight outcomes sync`),
    /// unless another pull holds the client.
    public func run(clientID: Int, owner: String? = nil) async throws -> Report {
        let owner = owner ?? LeaseOwner.make()
        guard try await claim(clientID: clientID, owner: owner) else {
            throw Refused(description: "another instance is reading this client's outcomes now: try again in a few minutes")
        }
        do {
            let report = try await pull(clientID: clientID, owner: owner)
            try await release(clientID: clientID, owner: owner)
            return report
        } catch {
            try? await release(clientID: clientID, owner: owner)
            throw error
        }
    }

    /// Takes the client's pull lease when it is free or ran out; `localDay`, when given, also marks
    /// the client's daily pull of that day as taken, and fails when it already was.
    public func claim(clientID: Int, owner: String, localDay: String? = nil) async throws -> Bool {
        let now = clock.nowMillis()
        let expires = now + leaseMillis
        return try await database.write { sql in
            let dayCondition: SQLQueryString =
                localDay.map { "AND (outcome_pull_day IS NULL OR outcome_pull_day <> \(bind: $0))" } ?? ""
            return try await sql.raw(
                """
                UPDATE clients SET outcome_pull_owner = \(bind: owner), outcome_pull_expires_at = \(bind: expires),
                outcome_pull_day = COALESCE(\(bind: localDay), outcome_pull_day)
                WHERE id = \(bind: clientID) AND (outcome_pull_owner IS NULL OR outcome_pull_expires_at < \(bind: now))
                """ + " " + dayCondition + " RETURNING id"
            ).first() != nil
        }
    }

    func release(clientID: Int, owner: String) async throws {
        try await database.write { sql in
            try await sql.raw(
                """
                UPDATE clients SET outcome_pull_owner = NULL, outcome_pull_expires_at = NULL WHERE id = \(bind: clientID) AND outcome_pull_owner = \(bind: owner)
                """
            ).run()
        }
    }

    /// The pull itself, the lease held.
    func pull(clientID: Int, owner: String) async throws -> Report {
        let keys = try await secrets.get(clientID: clientID)
        guard let kind = keys.sequencerKind, let key = keys.sequencerKey else {
            throw Refused(description: "the client has no sequencer connected: connect Instantly on the export page")
        }
        guard let reader = factory.outcomeReader(kind: kind, key: key) else {
            throw Refused(
                description: "\(kind.rawValue) outcomes arrive by webhook only: Greenlight reads no per-lead outcomes from its API (see the README)")
        }
        let since = clock.nowMillis() - recentDays * 86_400_000
        let campaigns = try await database.read { sql in
            try await sql.raw(
                """
                SELECT DISTINCT k.campaign_id FROM export_campaigns k JOIN export_runs r ON r.id = k.run_id
                WHERE r.client_id = \(bind: clientID) AND k.campaign_id IS NOT NULL AND r.started_at >= \(bind: since) ORDER BY k.campaign_id
                """
            ).all().map { try $0.decode(column: "campaign_id", as: String.self) }
        }
        var report = Report()
        var bouncesOrUnsubscribes = 0
        for campaign in campaigns {
            report.campaigns += 1
            var cursor = try await start(clientID: clientID, campaignID: campaign)
            while true {
                let page = try await reader.leadOutcomes(campaignID: campaign, cursor: cursor)
                let tally = try await store(page, clientID: clientID, campaignID: campaign, owner: owner)
                report.requests += 1
                report.leads += page.leads
                report.recorded += tally.stored
                report.suppressed += tally.suppressed
                bouncesOrUnsubscribes += tally.bouncesOrUnsubscribes
                guard let next = page.nextCursor, page.leads > 0 else { break }
                cursor = next
            }
        }
        if bouncesOrUnsubscribes > 0 { try await demotions.checkOutcomes(clientID: clientID) }
        return report
    }

    /// Where the campaign's pull goes on: the cursor of an unfinished pull, or the start (a new round).
    func start(clientID: Int, campaignID: String) async throws -> String? {
        let now = clock.nowMillis()
        return try await database.write { sql in
            if let row = try await sql.raw(
                "SELECT next_cursor, finished_at FROM outcome_pulls WHERE client_id = \(bind: clientID) AND campaign_id = \(bind: campaignID)"
            ).first(), try row.decode(column: "finished_at", as: Int?.self) == nil {
                return try row.decode(column: "next_cursor", as: String?.self)
            }
            try await sql.raw(
                """
                INSERT INTO outcome_pulls (client_id, campaign_id, next_cursor, started_at) VALUES (\(bind: clientID), \(bind: campaignID), NULL, \(bind: now))
                ON CONFLICT (client_id, campaign_id) DO UPDATE SET next_cursor = NULL, started_at = \(bind: now), finished_at = NULL, leads = 0, requests = 0, recorded = 0
                """
            ).run()
            return nil
        }
    }

    /// Records a page's events and moves the campaign's cursor past it, renewing the lease, in one
    /// transaction; fails, writing nothing, once the lease is another's.
    func store(_ page: LeadOutcomePage, clientID: Int, campaignID: String, owner: String) async throws -> OutcomeRecorder.Tally {
        let now = clock.nowMillis()
        let expires = now + leaseMillis
        return try await database.write { sql in
            guard
                try await sql.raw(
                    """
                    UPDATE clients SET outcome_pull_expires_at = \(bind: expires) WHERE id = \(bind: clientID) AND outcome_pull_owner = \(bind: owner) RETURNING id
                    """
                ).first() != nil
            else { throw Refused(description: "the pull's lease was taken over by another instance; it stopped") }
            let tally = try await OutcomeRecorder.recordMissing(sql, events: page.events, clientID: clientID, now: now)
            let finished: Int? = page.nextCursor == nil || page.leads == 0 ? now : nil
            try await sql.raw(
                """
                UPDATE outcome_pulls SET next_cursor = \(bind: page.nextCursor), finished_at = \(bind: finished), leads = leads + \(bind: page.leads),
                requests = requests + 1, recorded = recorded + \(bind: tally.stored) WHERE client_id = \(bind: clientID) AND campaign_id = \(bind: campaignID)
                """
            ).run()
            return tally
        }
    }
}
