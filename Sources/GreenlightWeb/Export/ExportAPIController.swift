import Foundation
import Hummingbird
import GreenlightCore
import GreenlightWork
import GreenlightExport

/// `/api/v1/exports`: the export runs of a client (`?client=` id or name) or of every visible one, with their counts, "run now" (`202` with the run id, the
/// run going on in the background), one run with each email's outcome, and taking an email out of a
/// CSV file not uploaded yet — for a manager's session
/// (with CSRF) or an API key created with `--role manager`.
struct ExportAPIController {
    let database: Database
    let exporter: Exporter?
    let clock: TimeSource

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/api/v1/exports", use: list)
        router.post("/api/v1/exports", use: start)
        router.get("/api/v1/exports/:id", use: show)
        router.delete("/api/v1/exports/:id/emails/:email", use: removeFromFile)
    }

    /// Takes one email out of a CSV file not uploaded yet (so it can be undone): `200` with the run,
    /// the email and its claim's new status.
    @Sendable func removeFromFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireReviewer()
        guard let id = context.parameters.get("id", as: Int.self), let email = context.parameters.get("email", as: Int.self) else {
            throw NotFound("export run")
        }
        _ = try await CSVExport(database: database, clock: clock).remove(
            runID: id, emailID: email, clientIDs: context.visibleClientIDs, by: caller.name, userID: caller.id)
        return try JSONAnswer.make(RemovedFromFile(run_id: id, email_id: email, status: "released"))
    }

    /// The JSON of a removal from a CSV file.
    struct RemovedFromFile: Encodable {
        var run_id: Int
        var email_id: Int
        var status: String
    }

    /// The client named by id or name, if the caller may see it.
    private func client(_ key: String?, _ context: AppRequestContext) async throws -> ClientRecord {
        guard let key, !key.isEmpty else { throw InputError(field: "client", "name the client: ?client= its id or name") }
        let clients = ClientRepository(database: database, clock: clock)
        let found: ClientRecord?
        if let id = Int(key) { found = try await clients.find(id: id) } else { found = try await clients.find(name: key) }
        guard let found, context.visibleClientIDs?.contains(found.id) ?? true else { throw NotFound("client \(key)") }
        return found
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireReviewer()
        var clientIDs = context.visibleClientIDs
        if let key = request.uri.queryParameters.get("client"), !key.isEmpty { clientIDs = [try await client(key, context).id] }
        let runs = try await ExportHistory(database: database).runs(clientIDs: clientIDs, limit: 100)
        return try JSONAnswer.make(APIExportRuns(runs: runs.map(APIExportRun.init)))
    }

    /// `{"client": name or id}` — the id as a number or as text.
    struct StartBody: Decodable {
        var client: String?

        enum CodingKeys: String, CodingKey { case client }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let id = try? container.decodeIfPresent(Int.self, forKey: .client) {
                client = String(id)
            } else {
                client = try container.decodeIfPresent(String.self, forKey: .client)
            }
        }
    }

    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireReviewer()
        var request = request
        let body = try await RequestBodyReader.collect(&request, context: context)
        guard let parsed = try? JSONDecoder().decode(StartBody.self, from: Data(body.readableBytesView)) else {
            throw AppError.badRequest("the body must be a JSON object naming the client, e.g. {\"client\": \"Northwind Ledger\"}")
        }
        let client = try await client(parsed.client, context)
        guard let exporter else { throw InputError(field: "client", "exports need GREENLIGHT_SECRET_KEY set on the server") }
        let run = try await exporter.start(clientID: client.id, by: caller.name)
        try await AuditLog(database: database, clock: clock).record(
            userID: caller.id, actorName: caller.id == nil ? caller.name : nil, action: "export run started", target: client.name,
            details: "run \(run) (API)")
        var response = try JSONAnswer.make(["run_id": run])
        response.status = .accepted
        response.headers[.location] = "/api/v1/exports/\(run)"
        return response
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireReviewer()
        guard let id = context.parameters.get("id", as: Int.self) else { throw NotFound("export run") }
        let history = ExportHistory(database: database)
        guard let run = try await history.run(id: id, clientIDs: context.visibleClientIDs) else { throw NotFound("export run \(id)") }
        var answer = APIExportRun(run)
        answer.items = try await history.items(runID: id).map {
            APIExportRun.Item(
                email_id: $0.emailID, contact_email: $0.contactEmail, status: $0.status.rawValue, sequencer_lead_id: $0.leadID, error: $0.error)
        }
        return try JSONAnswer.make(answer)
    }
}

/// The JSON of one export run.
struct APIExportRun: Encodable {
    struct Campaign: Encodable {
        var name: String
        var campaign_id: String?
    }

    struct Item: Encodable {
        var email_id: Int
        var contact_email: String
        var status: String
        var sequencer_lead_id: String?
        var error: String?
    }

    var id: Int
    var client_id: Int
    var trigger: String
    var status: String
    var local_day: String?
    var claimed: Int
    var sent: Int
    var failed: Int
    var error: String?
    var started_at: String
    var finished_at: String?
    var campaigns: [Campaign]
    var items: [Item]?

    init(_ run: ExportHistory.Run) {
        id = run.id
        client_id = run.clientID
        trigger = run.trigger
        status = run.status.rawValue
        local_day = run.localDay
        claimed = run.claimed
        sent = run.sent
        failed = run.failed
        error = run.error
        started_at = DateText.iso(run.startedAt)
        finished_at = run.finishedAt.map(DateText.iso)
        campaigns = run.campaigns.map { Campaign(name: $0.name, campaign_id: $0.id) }
    }
}

/// The JSON of `GET /api/v1/exports`.
struct APIExportRuns: Encodable {
    var runs: [APIExportRun]
}
