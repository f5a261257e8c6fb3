import Foundation
import Hummingbird
import SQLKit

/// The job API (SPEC §9), for Make, Clay or n8n: `POST /api/v1/campaigns/generate` takes a template
/// (name or id) and contacts as JSON objects, checks them exactly as a CSV import would (the same
/// per-row report), queues the batch for the drafting workers and answers `202` with the job id;
/// `GET /api/v1/campaigns/{id}` says how far it got. A manager's API key (its client) or session
/// (naming `client`).
struct CampaignJobsController {
    let database: Database
    let clock: TimeSource

    /// The most contacts one job takes.
    static let contactLimit = 10_000

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/api/v1/campaigns/generate", use: generate)
        router.get("/api/v1/campaigns/:id", use: show)
    }

    @Sendable func generate(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireReviewer()
        var request = request
        let body = try await RequestBodyReader.collect(&request, context: context)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] else {
            throw AppError.badRequest("the body must be a JSON object: {\"template\": name or id, \"contacts\": [{\"email\": …, \"company_name\": …}, …]}")
        }
        let clientID = try await client(object["client"], context)
        let templateID = try await template(object["template"], clientID: clientID)
        let contacts = try Self.contacts(object["contacts"])
        let report: ImportReport
        do {
            report = try await ContactImporter(database: database).importObjects(contacts, source: "API job", clientID: clientID, templateID: templateID,
                                                                                  userID: context.user?.id, queuedAt: clock.nowMillis())
        } catch let error as ImportError {
            throw InputError(field: "contacts", error.message)
        }
        var response = try JSONAnswer.make(APICampaignJobCreated(jobID: report.batchID, status: report.imported > 0 ? "queued" : "completed",
                                                                 imported: report.imported,
                                                                 skipped: report.skipped.map { .init(row: $0.row, email: $0.email, reason: $0.reason) }),
                                           status: .accepted)
        response.headers[.location] = "/api/v1/campaigns/\(report.batchID)"
        return response
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireReviewer()
        guard let id = context.parameters.get("id", as: Int.self) else { throw NotFound("job") }
        let visible = context.visibleClientIDs
        guard let job = try await database.read({ sql in try await Self.progress(sql, batchID: id, clientIDs: visible) }) else { throw NotFound("job \(id)") }
        var answer = job
        if answer.status == "running" || answer.status == "queued", answer.total > answer.done + answer.failed,
           let name = try await ClientRepository(database: database).find(id: job.clientID)?.name,
           let stop = try await SpendLedger(database: database, clock: clock).stopReason(clientID: job.clientID, clientName: name) {
            answer.status = "paused"
            answer.pausedReason = stop
        }
        return try JSONAnswer.make(answer)
    }

    /// A job's progress: its contacts drafted, failed and in all; its emails once it is done.
    static func progress(_ sql: any SQLDatabase, batchID: Int, clientIDs: [Int]?) async throws -> APICampaignJob? {
        guard let batch = try await sql.raw("""
            SELECT client_id, status, queued_at FROM contact_batches WHERE id = \(bind: batchID)\(SQLStatements.visible("client_id", to: clientIDs))
            """).first() else { return nil }
        let counts = try await sql.raw("""
            SELECT status, COUNT(*) AS n FROM contacts WHERE batch_id = \(bind: batchID) GROUP BY status
            """).all().reduce(into: [String: Int]()) { $0[try $1.decode(column: "status", as: String.self)] = try $1.decode(column: "n", as: Int.self) }
        let emails = try await sql.raw("""
            SELECT CAST(COALESCE(SUM(tokens), 0) AS BIGINT) AS tokens, CAST(COALESCE(SUM(cache_hits), 0) AS BIGINT) AS hits,
            CAST(COALESCE(SUM(cache_lookups), 0) AS BIGINT) AS lookups FROM generated_emails WHERE batch_id = \(bind: batchID)
            """).first()
        let cost = try await sql.raw("""
            SELECT CAST(COALESCE(SUM(cost_microdollars), 0) AS BIGINT) AS cost FROM model_calls WHERE batch_id = \(bind: batchID)
            """).first()?.decode(column: "cost", as: Int.self) ?? 0
        let hits = try emails?.decode(column: "hits", as: Int.self) ?? 0
        let lookups = try emails?.decode(column: "lookups", as: Int.self) ?? 0
        let stored = try batch.decode(column: "status", as: String.self)
        let status: String
        switch stored {
        case "generated": status = "completed"
        case "generating": status = "running"
        case "failed": status = "failed"
        default: status = "queued"
        }
        let emailIDs = status == "completed"
            ? try await sql.raw("SELECT id FROM generated_emails WHERE batch_id = \(bind: batchID) ORDER BY id").all().map { try $0.decode(column: "id", as: Int.self) }
            : nil
        return APICampaignJob(jobID: batchID, clientID: try batch.decode(column: "client_id", as: Int.self), status: status,
                              total: counts.values.reduce(0, +), done: counts["completed"] ?? 0, failed: counts["failed"] ?? 0,
                              pausedReason: nil, tokens: try emails?.decode(column: "tokens", as: Int.self) ?? 0,
                              cacheHits: hits, cacheLookups: lookups, costUSD: Double(cost) / 1_000_000, emailIDs: emailIDs)
    }

    /// The job's client: the API key's, or the one a session names (and may see).
    private func client(_ value: Any?, _ context: AppRequestContext) async throws -> Int {
        if let key = context.apiKey { return key.clientID }
        let text = (value as? String) ?? (value as? Int).map(String.init)
        guard let text, !text.isEmpty else { throw InputError(field: "client", "name the client: \"client\": its name or id") }
        let clients = ClientRepository(database: database)
        let found: ClientRecord?
        if let id = Int(text) { found = try await clients.find(id: id) } else { found = try await clients.find(name: text) }
        guard let found, context.visibleClientIDs?.contains(found.id) ?? true else { throw NotFound("client \(text)") }
        return found.id
    }

    private func template(_ value: Any?, clientID: Int) async throws -> Int {
        let repository = TemplateRepository(database: database)
        let found: TemplateRecord?
        switch value {
        case let id as Int: found = try await repository.find(id: id).flatMap { $0.clientID == clientID ? $0 : nil }
        case let name as String where !name.isEmpty: found = try await repository.find(name: name, clientID: clientID)
        default: throw InputError(field: "template", "name the template: \"template\": its name or id")
        }
        guard let found else {
            let names = try await repository.all(clientID: clientID).map(\.template.name)
            throw InputError(field: "template", "the client has no template \(value.map { "\($0)" } ?? ""); its templates: \(names.isEmpty ? "none yet" : names.joined(separator: ", "))")
        }
        return found.id
    }

    /// The contacts as text fields; numbers become text, anything else is named.
    static func contacts(_ value: Any?) throws -> [[String: String]] {
        guard let list = value as? [Any], !list.isEmpty else { throw InputError(field: "contacts", "\"contacts\" must be a non-empty list of objects") }
        guard list.count <= contactLimit else { throw InputError(field: "contacts", "at most \(contactLimit) contacts per job, got \(list.count)") }
        return try list.enumerated().map { index, item in
            guard let object = item as? [String: Any] else { throw InputError(field: "contacts", "contact \(index + 1) is not an object") }
            var fields: [String: String] = [:]
            for (key, value) in object {
                switch value {
                case let text as String: fields[key] = text
                case is NSNull: continue
                case let number as Int where !(value is Bool): fields[key] = String(number)
                default: throw InputError(field: "contacts", "contact \(index + 1): \"\(key)\" must be text")
                }
            }
            return fields
        }
    }
}

/// `202` of `POST /api/v1/campaigns/generate`.
struct APICampaignJobCreated: Encodable {
    struct Skipped: Encodable {
        var row: Int
        var email: String
        var reason: String
    }

    var jobID: Int
    var status: String
    var imported: Int
    var skipped: [Skipped]

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id", status, imported, skipped
    }
}

/// `GET /api/v1/campaigns/{id}`.
struct APICampaignJob: Encodable {
    var jobID: Int
    var clientID: Int
    /// `queued`, `running`, `paused`, `completed` or `failed`.
    var status: String
    var total: Int
    var done: Int
    var failed: Int
    var pausedReason: String?
    var tokens: Int
    /// Company-level agent answers looked up in the cache, and found there.
    var cacheHits: Int
    var cacheLookups: Int
    /// What the job's model calls cost so far, in dollars.
    var costUSD: Double
    /// The drafted emails, once the job is completed.
    var emailIDs: [Int]?

    /// The share of lookups the cache answered; nil (written as null) before any lookup.
    var cacheHitRate: Double? { cacheLookups == 0 ? nil : Double(cacheHits) / Double(cacheLookups) }

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id", clientID = "client_id", status, total, done, failed, pausedReason = "paused_reason", tokens
        case cacheHits = "cache_hits", cacheLookups = "cache_lookups", cacheHitRate = "cache_hit_rate", costUSD = "cost_usd", emailIDs = "email_ids"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(jobID, forKey: .jobID)
        try container.encode(clientID, forKey: .clientID)
        try container.encode(status, forKey: .status)
        try container.encode(total, forKey: .total)
        try container.encode(done, forKey: .done)
        try container.encode(failed, forKey: .failed)
        try container.encodeIfPresent(pausedReason, forKey: .pausedReason)
        try container.encode(tokens, forKey: .tokens)
        try container.encode(cacheHits, forKey: .cacheHits)
        try container.encode(cacheLookups, forKey: .cacheLookups)
        try container.encode(cacheHitRate, forKey: .cacheHitRate)
        try container.encode(costUSD, forKey: .costUSD)
        try container.encodeIfPresent(emailIDs, forKey: .emailIDs)
    }
}
