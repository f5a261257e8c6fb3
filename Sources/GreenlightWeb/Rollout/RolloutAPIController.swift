import Foundation
import Hummingbird
import GreenlightCore
import GreenlightEmails
import GreenlightWork

/// `/api/v1/clients/{id or name}/rollout`: a client's phase, settings, readiness, calibration,
/// agreement and kill switch as JSON, and changes to them — by a manager's session (with CSRF) or an
/// API key created with `--role manager`. A change is recorded like a click on the page; a bad value
/// answers 422 naming it and changes nothing.
struct RolloutAPIController {
    let database: Database
    let clock: TimeSource

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/api/v1/clients/:client/rollout", use: show)
        router.put("/api/v1/clients/:client/rollout", use: update)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let state = try await visibleState(context)
        return try JSONAnswer.make(try await answer(state))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requireReviewer()
        let state = try await visibleState(context)
        var request = request
        let body = try await RequestBodyReader.collect(&request, context: context)
        guard let object = try? JSONDecoder().decode([String: JSONScalar].self, from: Data(body.readableBytesView)) else {
            throw AppError.badRequest("the body must be a JSON object, e.g. {\"phase\": \"partial\", \"reason\": \"…\"}")
        }
        let known = Set(["phase", "paused", "reason"] + RolloutSettingsFields.all.map(\.name))
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw InputError(field: unknown, "\"\(unknown)\" is not a rollout setting; use \(known.sorted().joined(separator: ", "))")
        }
        // Everything is checked before anything changes.
        var settings = state.settings
        for field in RolloutSettingsFields.all {
            guard let value = object[field.name] else { continue }
            guard case .number(let number) = value else { throw InputError(field: field.name, "\(field.name) must be a number") }
            try field.set(number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number), on: &settings)
        }
        settings = try settings.validated()
        var phase: RolloutPhase?
        if let value = object["phase"] {
            guard case .string(let text) = value, let parsed = RolloutPhase(rawValue: text) else {
                throw InputError(field: "phase", "phase must be shadow, partial or full")
            }
            phase = parsed
        }
        var paused: Bool?
        if let value = object["paused"] {
            guard case .bool(let flag) = value else { throw InputError(field: "paused", "paused must be true or false") }
            paused = flag
        }
        var reason: String?
        if let value = object["reason"] {
            guard case .string(let text) = value, text.count <= 500 else {
                throw InputError(field: "reason", "reason must be text of at most 500 characters")
            }
            reason = text
        }
        var move: RolloutRepository.PhaseMove?
        if let phase { move = try await RolloutControl(database: database, clock: clock).plan(clientID: state.clientID, to: phase, reason: reason) }
        let repository = RolloutRepository(database: database, clock: clock)
        try await repository.apply(clientID: state.clientID, move: move, settings: settings, paused: paused, by: actor, reason: reason)
        return try JSONAnswer.make(try await answer(try await repository.state(clientID: state.clientID)))
    }

    /// The client named by `:client` (an id or a name) if the caller may see it.
    private func visibleState(_ context: AppRequestContext) async throws -> RolloutState {
        let key = context.parameters.get("client") ?? ""
        let clients = ClientRepository(database: database, clock: clock)
        let client: ClientRecord?
        if let id = Int(key) {
            client = try await clients.find(id: id)
        } else {
            client = try await clients.find(name: key.removingPercentEncoding ?? key)
        }
        guard let client, context.visibleClientIDs?.contains(client.id) ?? true else { throw NotFound("client \(key)") }
        return try await RolloutRepository(database: database, clock: clock).state(clientID: client.id)
    }

    private func answer(_ state: RolloutState) async throws -> APIRollout {
        let evidence = RolloutEvidence(database: database, clock: clock)
        let readiness = try await RolloutReadiness.measure(state, evidence: evidence)
        let since = evidence.since(days: 90)
        let calibration = try await evidence.calibration(clientID: state.clientID, since: since)
        let agreement = try await evidence.agreement(clientID: state.clientID, since: since)
        return APIRollout(state: state, readiness: readiness, calibration: calibration, agreement: agreement)
    }
}

/// One JSON value of a flat object, keeping booleans, numbers and text apart.
enum JSONScalar: Decodable {
    case bool(Bool), number(Double), string(String), null, other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else {
            self = .other
        }
    }
}
