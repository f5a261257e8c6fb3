import Foundation
import HTTPTypes
import Hummingbird
import GreenlightCore
import GreenlightWork

/// A client's prompts (`/clients/{id}/prompts`, managers): the version its agents are told; start
/// an experiment of it against a variant (name, instructions, share of contacts); compare the two as
/// drafts are reviewed and sent; end it by keeping one as the only version. A refused form comes
/// back with the message beside the field and nothing changed.
struct PromptController {
    let views: ViewRenderer
    let database: Database
    let clock: TimeSource

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/clients/:id/prompts", use: show)
        router.post("/clients/:id/prompts/experiment", use: start)
        router.post("/clients/:id/prompts/experiment/end", use: end)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let client = try await context.visibleClient(in: database)
        return try await page(clientID: client.id, clientName: client.name, context: context, notice: Flash.read(request), request: request)
    }

    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let client = try await context.visibleClient(in: database)
        var request = request
        let fields = QueryString.parameters(String(buffer: try await RequestBodyReader.collect(&request, context: context)))
        let name = fields["name"] ?? "", instructions = fields["instructions"] ?? "", shareText = fields["share"] ?? ""
        do {
            let share = try Self.share(shareText)
            let experiment = try await PromptExperiments(database: database, clock: clock).start(
                clientID: client.id, variant: PromptVersion(name: name, instructions: instructions), variantShareBP: share,
                by: Reviewer(id: user.id, name: user.name))
            return Flash.redirect(
                to: "/clients/\(client.id)/prompts",
                notice:
                    "Experiment started: \(PromptExperiments.percent(share)) of \(client.name)'s new contacts are drafted with \(experiment.variant.name), the rest with \(experiment.control.name)."
            )
        } catch let error as InputError {
            return try await page(
                clientID: client.id, clientName: client.name, context: context, notice: nil, request: request,
                typed: (name, instructions, shareText, error), status: .unprocessableContent)
        }
    }

    @Sendable func end(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let client = try await context.visibleClient(in: database)
        var request = request
        let fields = QueryString.parameters(String(buffer: try await RequestBodyReader.collect(&request, context: context)))
        guard let winner = fields["winner"].flatMap(PromptExperiment.Arm.init(rawValue:)) else {
            return try await page(
                clientID: client.id, clientName: client.name, context: context, notice: nil, request: request,
                typed: ("", "", "", InputError(field: "winner", "choose the version to keep: control or variant")), status: .unprocessableContent)
        }
        let experiments = PromptExperiments(database: database, clock: clock)
        let running = try await experiments.setup(clientID: client.id).experiment
        let ended = try await experiments.end(clientID: client.id, winner: winner, by: Reviewer(id: user.id, name: user.name))
        let notice =
            ended
            ? "\(running.map { $0.version(winner).name } ?? "The winner") is now \(client.name)'s only prompt version; the experiment's figures stay below."
            : "No experiment was running for \(client.name): nothing changed."
        return Flash.redirect(to: "/clients/\(client.id)/prompts", notice: notice)
    }

    /// The variant's share from the form: a percentage ("50", "20%") of the contacts, more than 0 and less than 100.
    static func share(_ text: String) throws(InputError) -> Int {
        var number = text.trimmingCharacters(in: .whitespaces)
        if number.hasSuffix("%") { number.removeLast() }
        guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value.isFinite, value > 0, value < 100 else {
            throw InputError(field: "share", "share must be a percentage of the contacts above 0 and below 100 (like 50), got \"\(text)\"")
        }
        return max(1, min(9_999, Int((value * 100).rounded())))
    }

    private func page(
        clientID: Int, clientName: String, context: AppRequestContext, notice: String?, request: Request,
        typed: (name: String, instructions: String, share: String, error: InputError)? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let experiments = PromptExperiments(database: database, clock: clock)
        let setup = try await experiments.setup(clientID: clientID)
        var tables: [ExperimentTable] = []
        for experiment in try await experiments.all(clientID: clientID) {
            tables.append(ExperimentTable(try await ExperimentComparison.read(database, experiment: experiment), clientName: clientName))
        }
        let running = tables.first { $0.running }
        let past = tables.filter { !$0.running }
        let model = PromptsPage(
            page: PageChrome(
                title: "Prompts — \(clientName)", context: context, notice: typed?.error.message ?? notice, noticeIsError: typed != nil,
                section: .init(clients: true)),
            clientID: clientID, clientName: clientName, currentName: setup.current.name, currentInstructions: setup.current.instructions,
            hasInstructions: !setup.current.instructions.isEmpty, running: running, past: past, hasPast: !past.isEmpty,
            typedName: typed?.name ?? "", typedInstructions: typed?.instructions ?? "", typedShare: typed?.share ?? "50",
            error: typed?.error.message, errorField: typed?.error.field ?? "", csrf: context.session?.csrfToken ?? "")
        return try Flash.clearing(views.response("prompts/show", model, status: status), request)
    }
}
