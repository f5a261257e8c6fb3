import Foundation
import Hummingbird
import GreenlightCore
import GreenlightWork

/// The job API, for Make, Clay or n8n: `POST /api/v1/campaigns/generate` takes a template
/// (name or id) and contacts as JSON objects, checks them exactly as a CSV import would (the same
/// per-row report), queues the batch for the drafting workers and answers `202` with the job id;
/// `GET /api/v1/campaigns/{id}` says how far it got. A manager's API key (its client) or session
/// (naming `client`).
struct CampaignJobsController {
    let database: Database
    let clock: TimeSource
    let metrics: AppMetrics

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
            throw AppError.badRequest(
                "the body must be a JSON object: {\"template\": name or id, \"contacts\": [{\"email\": …, \"company_name\": …}, …]}")
        }
        let clientID = try await client(object["client"], context)
        let templateID = try await template(object["template"], clientID: clientID)
        let contacts = try Self.contacts(object["contacts"])
        let report: ImportReport
        let started = ContinuousClock.now
        do {
            report = try await ContactImporter(database: database, clock: clock).importObjects(
                contacts, source: "API job", clientID: clientID, templateID: templateID,
                userID: context.user?.id, queuedAt: clock.nowMillis())
        } catch let error as ImportError {
            throw InputError(field: "contacts", error.message)
        }
        metrics.imported(rows: report.imported, skipped: report.skipped.count, duration: ContinuousClock.now - started, source: "api")
        var response = try JSONAnswer.make(
            APICampaignJobCreated(
                jobID: report.batchID, status: report.imported > 0 ? "queued" : "completed",
                imported: report.imported,
                skipped: report.skipped.map { .init(row: $0.row, email: $0.email, reason: $0.reason) }),
            status: .accepted)
        response.headers[.location] = "/api/v1/campaigns/\(report.batchID)"
        return response
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireReviewer()
        guard let id = context.parameters.get("id", as: Int.self),
            let job = try await JobProgress.load(database, batchID: id, clientIDs: context.visibleClientIDs, clock: clock)
        else { throw NotFound("job") }
        return try JSONAnswer.make(APICampaignJob(job))
    }

    /// The job's client: the API key's, or the one a session names (and may see).
    private func client(_ value: Any?, _ context: AppRequestContext) async throws -> Int {
        if let key = context.apiKey { return key.clientID }
        let text = (value as? String) ?? (value as? Int).map(String.init)
        guard let text, !text.isEmpty else { throw InputError(field: "client", "name the client: \"client\": its name or id") }
        let clients = ClientRepository(database: database, clock: clock)
        let found: ClientRecord?
        if let id = Int(text) { found = try await clients.find(id: id) } else { found = try await clients.find(name: text) }
        guard let found, context.visibleClientIDs?.contains(found.id) ?? true else { throw NotFound("client \(text)") }
        return found.id
    }

    private func template(_ value: Any?, clientID: Int) async throws -> Int {
        let repository = TemplateRepository(database: database, clock: clock)
        let found: TemplateRecord?
        switch value {
        case let id as Int: found = try await repository.find(id: id).flatMap { $0.clientID == clientID ? $0 : nil }
        case let name as String where !name.isEmpty: found = try await repository.find(name: name, clientID: clientID)
        default: throw InputError(field: "template", "name the template: \"template\": its name or id")
        }
        guard let found else {
            let names = try await repository.all(clientID: clientID).map(\.template.name)
            throw InputError(
                field: "template",
                "the client has no template \(value.map { "\($0)" } ?? ""); its templates: \(names.isEmpty ? "none yet" : names.joined(separator: ", "))"
            )
        }
        return found.id
    }

    /// The contacts as text fields; numbers become text, anything else is named.
    static func contacts(_ value: Any?) throws -> [[String: String]] {
        guard let list = value as? [Any], !list.isEmpty else {
            throw InputError(field: "contacts", "\"contacts\" must be a non-empty list of objects")
        }
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

/// `GET /api/v1/campaigns/{id}`: a ``JobProgress`` as JSON (`cache_hit_rate` is null before any
/// lookup; `paused_reason` and `email_ids` appear when they apply).
struct APICampaignJob: Encodable {
    let job: JobProgress

    init(_ job: JobProgress) {
        self.job = job
    }

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id", clientID = "client_id", status, total, done, failed, pausedReason = "paused_reason", tokens
        case cacheHits = "cache_hits", cacheLookups = "cache_lookups", cacheHitRate = "cache_hit_rate", costUSD = "cost_usd", emailIDs = "email_ids"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(job.batchID, forKey: .jobID)
        try container.encode(job.clientID, forKey: .clientID)
        try container.encode(job.status, forKey: .status)
        try container.encode(job.total, forKey: .total)
        try container.encode(job.done, forKey: .done)
        try container.encode(job.failed, forKey: .failed)
        try container.encodeIfPresent(job.pausedReason, forKey: .pausedReason)
        try container.encode(job.tokens, forKey: .tokens)
        try container.encode(job.cacheHits, forKey: .cacheHits)
        try container.encode(job.cacheLookups, forKey: .cacheLookups)
        try container.encode(job.cacheHitRate, forKey: .cacheHitRate)
        try container.encode(Double(job.costMicrodollars) / 1_000_000, forKey: .costUSD)
        try container.encodeIfPresent(job.emailIDs, forKey: .emailIDs)
    }
}
