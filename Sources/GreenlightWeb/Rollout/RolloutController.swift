import Foundation
import Hummingbird
import GreenlightCore
import GreenlightEmails
import GreenlightWork

/// The managers' rollout pages: each client's phase with the evidence for the next one,
/// promotion, restore and demotion, thresholds and criteria, the per-client and global kill switch,
/// calibration with a threshold simulator, and the history of every change.
struct RolloutController {
    let views: ViewRenderer
    let database: Database
    let clock: TimeSource

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/rollout", use: index)
        router.post("/rollout/pause", use: pauseAll)
        router.post("/rollout/resume", use: resumeAll)
        router.get("/clients/:id/rollout", use: show)
        router.post("/clients/:id/rollout/phase", use: phase)
        router.post("/clients/:id/rollout/settings", use: settings)
        router.post("/clients/:id/rollout/pause", use: pause)
        router.post("/clients/:id/rollout/resume", use: resume)
    }

    var repository: RolloutRepository { RolloutRepository(database: database, clock: clock) }
    var evidence: RolloutEvidence { RolloutEvidence(database: database, clock: clock) }

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireUser()
        let states = try await repository.states(clientIDs: context.visibleClientIDs)
        var rows: [RolloutIndexPage.ClientRow] = []
        for state in states {
            let readiness = try await RolloutReadiness.measure(state, evidence: evidence)
            let met = readiness.criteria.filter { $0.status == .met }.count
            let summary = readiness.next.map { "\(met) of \(readiness.criteria.count) criteria met for \($0.rawValue)" } ?? "full: steady state"
            rows.append(
                .init(id: state.clientID, name: state.clientName, phase: state.phase.rawValue, paused: state.pausedAt != nil, readiness: summary))
        }
        let model = RolloutIndexPage(
            page: PageChrome(title: "Rollout", context: context, notice: Flash.read(request), section: .init(rollout: true)),
            clients: rows, hasClients: !rows.isEmpty, pausedGlobally: try await repository.isPausedGlobally(),
            seesAll: context.visibleClientIDs == nil, anyPaused: rows.contains(where: \.paused),
            csrf: context.session?.csrfToken ?? "")
        return try Flash.clearing(views.response("rollout/index", model), request)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireUser()
        let state = try await visibleState(context)
        let threshold = try Self.threshold(
            request.uri.queryParameters.get("threshold"), default: state.settings.threshold(in: state.phase == .shadow ? .partial : state.phase))
        return try await page(state: state, context: context, request: request, threshold: threshold, error: nil)
    }

    struct PhaseForm: Decodable {
        var phase: String?
        var reason: String?
        /// "yes" once the manager has read what a promotion changes.
        var confirm: String?
    }

    @Sendable func phase(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let state = try await visibleState(context)
        let form = try await RequestBodyReader.form(PhaseForm.self, request, context: context)
        guard let target = form.phase.flatMap(RolloutPhase.init(rawValue:)) else {
            throw InputError(field: "phase", "choose shadow, partial or full")
        }
        do {
            let control = RolloutControl(database: database, clock: clock)
            // A promotion is confirmed on a page that says what it changes (checked against the rules first).
            if form.confirm != "yes", let move = try await control.plan(clientID: state.clientID, to: target, reason: form.reason),
                move.action == .promote
            {
                return try await confirmation(state: state, to: target, reason: form.reason ?? "", context: context)
            }
            let action = try await control.move(clientID: state.clientID, to: target, by: user.reviewer, reason: form.reason)
            return Flash.redirect(
                to: "/clients/\(state.clientID)/rollout", notice: RolloutWords.moved(state.clientName, action: action, to: target))
        } catch let error as InputError {
            return try await page(
                state: state, context: context, request: request, threshold: state.settings.threshold(in: state.phase), error: error.message,
                status: .unprocessableContent)
        }
    }

    @Sendable func settings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let state = try await visibleState(context)
        var request = request
        let body = try await RequestBodyReader.collect(&request, context: context)
        let fields = QueryString.parameters(String(buffer: body))
        do {
            var settings = state.settings
            for field in RolloutSettingsFields.all {
                if let text = fields[field.name] { try field.set(text, on: &settings) }
            }
            try await repository.update(settings: settings, clientID: state.clientID, by: user.reviewer, reason: fields["reason"])
            return Flash.redirect(to: "/clients/\(state.clientID)/rollout", notice: "Settings of \(state.clientName) saved.")
        } catch let error as InputError {
            return try await page(
                state: state, context: context, request: request, threshold: state.settings.threshold(in: state.phase), error: error.message,
                status: .unprocessableContent)
        }
    }

    struct ReasonForm: Decodable {
        var reason: String?
    }

    @Sendable func pause(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await switchClient(true, request, context)
    }

    @Sendable func resume(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await switchClient(false, request, context)
    }

    @Sendable func pauseAll(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await switchAll(true, request, context)
    }

    @Sendable func resumeAll(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await switchAll(false, request, context)
    }

    private func switchClient(_ paused: Bool, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let state = try await visibleState(context)
        let form = try await RequestBodyReader.form(ReasonForm.self, request, context: context)
        try await repository.setPaused(paused, clientID: state.clientID, by: user.reviewer, reason: form.reason)
        return Flash.redirect(to: "/clients/\(state.clientID)/rollout", notice: RolloutWords.switched(state.clientName, paused: paused))
    }

    /// The switch of every client for a caller who sees every client (an admin); for anyone else, the
    /// switch of each client they see — never the global one.
    private func switchAll(_ paused: Bool, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await RequestBodyReader.form(ReasonForm.self, request, context: context)
        guard let visible = context.visibleClientIDs else {
            try await repository.setPaused(paused, clientID: nil, by: user.reviewer, reason: form.reason)
            return Flash.redirect(to: "/rollout", notice: RolloutWords.switchedAll(paused: paused))
        }
        guard !visible.isEmpty else {
            return Flash.redirect(to: "/rollout", notice: "You are assigned no client: nothing to \(paused ? "pause" : "resume").")
        }
        try await repository.setPaused(paused, clientIDs: visible, by: user.reviewer, reason: form.reason)
        let pausedGlobally = try await repository.isPausedGlobally()
        return Flash.redirect(to: "/rollout", notice: RolloutWords.switchedOwn(visible.count, paused: paused, pausedGlobally: pausedGlobally))
    }

    /// What promoting to `target` changes, in a sentence, from the last 90 days of human decisions.
    private func consequence(state: RolloutState, to target: RolloutPhase) async throws -> String {
        let threshold = state.settings.threshold(in: target)
        let calibration = try await evidence.calibration(clientID: state.clientID, since: evidence.since(days: 90))
        return RolloutWords.consequence(state, threshold: threshold, simulation: calibration.simulate(threshold: threshold))
    }

    private func confirmation(state: RolloutState, to target: RolloutPhase, reason: String, context: AppRequestContext) async throws -> Response {
        let model = PromotionConfirmPage(
            page: PageChrome(title: "Promote \(state.clientName) to \(target.rawValue)?", context: context, section: .init(rollout: true)),
            clientID: state.clientID, clientName: state.clientName, from: state.phase.rawValue, to: target.rawValue,
            consequence: try await consequence(state: state, to: target), reason: reason, csrf: context.session?.csrfToken ?? "")
        return try views.response("rollout/confirm", model)
    }

    // MARK: Helpers

    private func visibleState(_ context: AppRequestContext) async throws -> RolloutState {
        guard let text = context.parameters.get("id"), let id = Int(text), id > 0 else { throw NotFound("that client") }
        if let visible = context.visibleClientIDs, !visible.contains(id) { throw NotFound("client \(id)") }
        guard try await ClientRepository(database: database, clock: clock).find(id: id) != nil else { throw NotFound("client \(id)") }
        return try await repository.state(clientID: id)
    }

    static func threshold(_ text: String?, default value: Int) throws(InputError) -> Int {
        guard let text, !text.isEmpty else { return value }
        guard let threshold = Int(text), (0...100).contains(threshold) else {
            throw InputError(field: "threshold", "threshold must be a score from 0 to 100, got \"\(text)\"")
        }
        return threshold
    }

    private func page(
        state: RolloutState, context: AppRequestContext, request: Request, threshold: Int, error: String?,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let readiness = try await RolloutReadiness.measure(state, evidence: evidence)
        let since = evidence.since(days: 90)
        let agreement = try await evidence.agreement(clientID: state.clientID, since: since)
        let calibration = try await evidence.calibration(clientID: state.clientID, since: since)
        let history = try await repository.history(clientID: state.clientID)
        let lastMove = history.first { $0.clientID != nil && [.promote, .demote, .restore].contains($0.action) }
        let restoreTo = lastMove.flatMap { $0.action == .demote && $0.userID == nil ? $0.before["phase"] : nil }
        let simulation = calibration.simulate(threshold: threshold)
        let limit = Double(state.settings.partialRejectionLimitBP) / 10_000
        let recommended = calibration.recommendedThreshold(rejectionLimit: limit)
        // The recommendation applies to the phase whose threshold is in play: partial until full.
        let tunedPhase: RolloutPhase = state.phase == .full ? .full : .partial
        let recommendedShare = recommended.map { calibration.simulate(threshold: $0.threshold).autoApprovalShare.rate ?? 0 }
        let model = RolloutPage(
            page: PageChrome(
                title: "Rollout — \(state.clientName)", context: context, notice: error ?? Flash.read(request), noticeIsError: error != nil,
                section: .init(rollout: true)),
            clientID: state.clientID, clientName: state.clientName, phase: state.phase.rawValue, paused: state.pausedAt != nil,
            pausedText: state.pausedAt.map { "Paused by \(state.pausedBy ?? "someone") on \(DateText.format($0))" } ?? "",
            pausedGlobally: state.pausedGlobally,
            nextPhase: state.phase.higher?.rawValue, lowerPhase: state.phase.lower?.rawValue, restoreTo: restoreTo,
            ready: readiness.ready,
            forecast: ReadinessForecast(readiness).sentence,
            criteria: readiness.criteria.map { criterion in
                RolloutPage.CriterionRow(
                    name: criterion.name, label: criterion.label, value: RolloutFigures.value(criterion, criterion.value),
                    target: readiness.targets[criterion.name] ?? "",
                    interval: criterion.low.map { low in
                        "\(RolloutFigures.value(criterion, low)) – \(RolloutFigures.value(criterion, criterion.high))"
                    } ?? "—",
                    intervalWords: RolloutFigures.intervalWords(criterion),
                    count: criterion.count, status: RolloutFigures.status(criterion.status),
                    met: criterion.status == .met, notEnoughEvidence: criterion.status == .notEnoughEvidence)
            },
            hasCriteria: !readiness.criteria.isEmpty,
            agreement: [("Shadow verdicts", agreement.shadow), ("Blind sample", agreement.sampled), ("Both", agreement.all)].map { name, table in
                RolloutPage.AgreementRow(
                    source: name, count: table.count, bothYes: table.a, machineYesHumanNo: table.b, machineNoHumanYes: table.c, bothNo: table.d,
                    agreement: RolloutFigures.percent(table.observedAgreement), kappa: RolloutFigures.kappa(table))
            },
            bands: calibration.bands.reversed().map { band in
                RolloutPage.BandRow(
                    band: band.label, count: band.counts.total, approval: RolloutFigures.percent(band.approvalRate.rate),
                    interval: band.counts.total == 0
                        ? "—" : "\(RolloutFigures.percent(band.approvalRate.low)) – \(RolloutFigures.percent(band.approvalRate.high))",
                    sent: band.counts.sent, reply: RolloutFigures.percent(band.replyRate.rate),
                    replyInterval: band.counts.sent == 0
                        ? "—" : "\(RolloutFigures.percent(band.replyRate.low)) – \(RolloutFigures.percent(band.replyRate.high))")
            },
            threshold: threshold,
            simulation: simulation.decidedCount == 0
                ? "No human decision in the last 90 days yet."
                : "At \(threshold), \(simulation.atOrAbove.total) of \(simulation.decidedCount) decided drafts (\(RolloutFigures.percent(simulation.autoApprovalShare.rate))) would have been auto-approved; humans rejected \(simulation.atOrAbove.rejected) and edited \(simulation.atOrAbove.edited) of them (rejection \(RolloutFigures.percent(simulation.rejectionRate.rate)), 95% interval \(RolloutFigures.percent(simulation.rejectionRate.low)) – \(RolloutFigures.percent(simulation.rejectionRate.high))).",
            recommendation: recommended.map {
                "Recommended threshold: \($0.threshold) — the lowest score humans have decided at which the rejection rate among auto-approved drafts stays under \(RolloutFigures.percent(limit)) with 95% confidence (\(RolloutFigures.percent($0.rejectionRate.rate)), interval up to \(RolloutFigures.percent($0.rejectionRate.high)), over \($0.atOrAbove.total) drafts). In \(tunedPhase.rawValue) (now \(state.settings.threshold(in: tunedPhase))) it would auto-approve about \(Int(((recommendedShare ?? 0) * 100).rounded()))% of the drafts humans decided in the last 90 days."
            }
                ?? "No threshold has enough evidence yet to keep rejections under \(RolloutFigures.percent(limit)) with 95% confidence.",
            recommendedThreshold: recommended.map(\.threshold).flatMap { $0 == state.settings.threshold(in: tunedPhase) ? nil : $0 },
            recommendedField: tunedPhase == .full ? "full_threshold" : "partial_threshold",
            recommendedPhase: tunedPhase.rawValue,
            settings: RolloutSettingsFields.all.map { .init(name: $0.name, label: $0.label, value: $0.text(state.settings)) },
            history: history.map { change in
                let keys = Set(change.before.keys).union(change.after.keys).sorted()
                return RolloutPage.HistoryRow(
                    at: DateText.format(change.createdAt), actor: change.actorName,
                    action: change.clientID == nil ? change.action.rawValue + " (all clients)" : change.action.rawValue,
                    change: keys.map { "\($0): \(change.before[$0] ?? "—") → \(change.after[$0] ?? "—")" }.joined(separator: "; "),
                    reason: change.reason ?? "")
            },
            hasHistory: !history.isEmpty,
            csrf: context.session?.csrfToken ?? ""
        )
        return try Flash.clearing(views.response("rollout/show", model, status: status), request)
    }
}
