import Foundation
import SQLKit
import GreenlightCore

/// How far a drafting job (a queued batch) got: its contacts drafted, failed and in all, whether a
/// model budget holds it, its cache use and cost, its emails once done — what the batch page and
/// `GET /api/v1/campaigns/{id}` both show.
public struct JobProgress: Sendable, Equatable {
    /// `queued`, `running`, `paused`, `completed` or `failed`.
    public var status: String
    public var batchID: Int
    public var clientID: Int
    public var total: Int
    public var done: Int
    public var failed: Int
    /// Why it is paused (a model budget reached), nil otherwise.
    public var pausedReason: String?
    public var tokens: Int
    /// Company-level agent answers looked up in the cache, and found there.
    public var cacheHits: Int
    public var cacheLookups: Int
    /// What the job's model calls cost so far, in millionths of a dollar.
    public var costMicrodollars: Int
    /// The drafted emails, once the job is completed.
    public var emailIDs: [Int]?

    /// The share of lookups the cache answered; nil before any lookup.
    public var cacheHitRate: Double? { cacheLookups == 0 ? nil : Double(cacheHits) / Double(cacheLookups) }
    /// Whether the job may still change (a page showing it refreshes itself).
    public var isActive: Bool { status == "queued" || status == "running" || status == "paused" }

    /// The job's progress, nil when there is no such batch among `clientIDs` (nil: any client).
    public static func load(_ database: Database, batchID: Int, clientIDs: [Int]?, clock: TimeSource = .system) async throws -> JobProgress? {
        guard var job = try await database.read({ sql in try await read(sql, batchID: batchID, clientIDs: clientIDs) }) else { return nil }
        if job.status == "running" || job.status == "queued", job.total > job.done + job.failed,
            let name = try await ClientRepository(database: database).find(id: job.clientID)?.name,
            let stop = try await SpendLedger(database: database, clock: clock).stopReason(
                clientID: job.clientID, clientName: name,
                calls: try await firstRound(batchID: batchID, database: database))
        {
            job.status = "paused"
            job.pausedReason = stop
        }
        return job
    }

    /// How many model calls a contact of the batch makes at once first (its template's agents).
    private static func firstRound(batchID: Int, database: Database) async throws -> Int {
        let templateID = try await database.read { sql in
            try await sql.raw("SELECT template_id FROM contact_batches WHERE id = \(bind: batchID)").first()?.decode(
                column: "template_id", as: Int.self)
        }
        guard let templateID, let template = try await TemplateRepository(database: database).find(id: templateID) else { return 1 }
        return max(1, AgentTeam.firstRound(for: template.template.variables.filter(TemplateVariableCatalog.agentVariables.contains)))
    }

    private static func read(_ sql: any SQLDatabase, batchID: Int, clientIDs: [Int]?) async throws -> JobProgress? {
        guard
            let batch = try await sql.raw(
                """
                SELECT client_id, status FROM contact_batches WHERE id = \(bind: batchID)\(SQLStatements.visible("client_id", to: clientIDs))
                """
            ).first()
        else { return nil }
        let counts = try await sql.raw(
            """
            SELECT status, COUNT(*) AS n FROM contacts WHERE batch_id = \(bind: batchID) GROUP BY status
            """
        ).all().reduce(into: [String: Int]()) { $0[try $1.decode(column: "status", as: String.self)] = try $1.decode(column: "n", as: Int.self) }
        let emails = try await sql.raw(
            """
            SELECT CAST(COALESCE(SUM(tokens), 0) AS BIGINT) AS tokens, CAST(COALESCE(SUM(cache_hits), 0) AS BIGINT) AS hits,
            CAST(COALESCE(SUM(cache_lookups), 0) AS BIGINT) AS lookups FROM generated_emails WHERE batch_id = \(bind: batchID)
            """
        ).first()
        let cost =
            try await sql.raw(
                """
                SELECT CAST(COALESCE(SUM(cost_microdollars), 0) AS BIGINT) AS cost FROM model_calls WHERE batch_id = \(bind: batchID)
                """
            ).first()?.decode(column: "cost", as: Int.self) ?? 0
        let status: String
        switch BatchStatus(rawValue: try batch.decode(column: "status", as: String.self)) {
        case .generated: status = "completed"
        case .generating: status = "running"
        case .failed: status = "failed"
        default: status = "queued"
        }
        let emailIDs =
            status == "completed"
            ? try await sql.raw("SELECT id FROM generated_emails WHERE batch_id = \(bind: batchID) ORDER BY id").all().map {
                try $0.decode(column: "id", as: Int.self)
            }
            : nil
        return JobProgress(
            status: status, batchID: batchID, clientID: try batch.decode(column: "client_id", as: Int.self),
            total: counts.values.reduce(0, +), done: counts["completed"] ?? 0, failed: counts["failed"] ?? 0, pausedReason: nil,
            tokens: try emails?.decode(column: "tokens", as: Int.self) ?? 0,
            cacheHits: try emails?.decode(column: "hits", as: Int.self) ?? 0,
            cacheLookups: try emails?.decode(column: "lookups", as: Int.self) ?? 0,
            costMicrodollars: cost, emailIDs: emailIDs)
    }
}
