import Foundation
import Hummingbird
import MultipartKit
import NIOCore
import GreenlightCore
import GreenlightWork
import GreenlightExport

/// The export page of a client, for its managers: settings (saved only once the stored key
/// is checked against the sequencer), the next scheduled run, what a run now would send (a dry run: which emails go to which campaign), "run now", and the history of
/// runs with each lead's outcome and error.
struct ExportController {
    let views: ViewRenderer
    let database: Database
    let exporter: Exporter?
    /// Asked after outcomes are recorded whether the client drops a phase.
    let demotions: DemotionGuard
    let clock: TimeSource
    /// `GREENLIGHT_PUBLIC_URL`, for the webhook addresses (else the request's host).
    var publicURL: String? = nil
    /// Whether the app is served over TLS (the addresses then start with https).
    var secure = false

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/clients/:id/export", use: show)
        router.post("/clients/:id/export/settings", use: saveSettings)
        router.post("/clients/:id/export/connection", use: saveConnection)
        router.post("/clients/:id/export/connection/remove", use: removeConnection)
        router.post("/clients/:id/export/run", use: runNow)
        router.post("/clients/:id/export/activate", use: activateNow)
        router.post("/clients/:id/export/csv", use: prepareCSV)
        router.post("/clients/:id/export/webhook", use: makeWebhook)
        router.post("/clients/:id/export/webhook/resume", use: resumeWebhook)
        router.post("/clients/:id/export/outcomes", use: pullOutcomes)
        router.post("/clients/:id/export/outcomes/upload", use: uploadOutcomes)
        router.get("/exports/:id/csv", use: downloadCSV)
        router.post("/exports/:id/confirm", use: confirmCSV)
        router.post("/exports/:id/cancel", use: cancelCSV)
        router.post("/exports/:id/abandon", use: abandon)
        router.post("/exports/:id/emails/:email/remove", use: removeFromFile)
    }

    func client(_ context: AppRequestContext) async throws -> ClientRecord {
        guard let id = context.parameters.get("id", as: Int.self), context.visibleClientIDs?.contains(id) ?? true,
            let client = try await ClientRepository(database: database, clock: clock).find(id: id)
        else { throw NotFound("client") }
        return client
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireUser()
        return try await page(try await client(context), request: request, context: context)
    }

    /// Saves the settings form once every value and the stored key are checked; otherwise the page
    /// again with the values as typed and what is wrong, nothing saved.
    @Sendable func saveSettings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let client = try await client(context)
        var request = request
        let fields = QueryString.parameters(String(buffer: try await RequestBodyReader.collect(&request, context: context)))
        let stored = try await ExportSettings.load(database, clientID: client.id)
        var typed = stored
        do {
            typed = try ExportSettingsForm.read(fields, into: stored)
            let checked = try typed.validated()
            if let exporter {
                try await SequencerKeyCheck(factory: exporter.factory).verify(checked, keys: try await exporter.secrets.get(clientID: client.id))
            }
            try await checked.save(database, clientID: client.id, clientName: client.name, replacing: stored, userID: user.id, now: clock.nowMillis())
            return Flash.redirect(to: "/clients/\(client.id)/export", notice: "Export settings of \(client.name) saved.")
        } catch let error as InputError {
            return try await page(client, request: request, context: context, typed: typed, error: error.message, status: .unprocessableContent)
        }
    }

    func page(
        _ client: ClientRecord, request: Request, context: AppRequestContext, typed: ExportSettings? = nil, error: String? = nil,
        connectionError: String? = nil, fresh: ExportPage.Fresh? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let now = clock.nowMillis()
        let history = ExportHistory(database: database)
        let settings = try await ExportSettings.load(database, clientID: client.id)
        let facts = try await ClientSecrets.facts(database, clientID: client.id)
        let sequencer = facts.sequencerKind
        let state = try await RolloutRepository(database: database, clock: clock).state(clientID: client.id)
        let active = try await history.activeTask(clientID: client.id, now: now)
        let open = try await history.unfinishedRun(clientID: client.id)
        var runs: [ExportPage.RunRow] = []
        for run in try await history.runs(clientID: client.id) {
            let items = try await history.items(runID: run.id, limit: 500)
            runs.append(
                .init(
                    id: run.id, claimed: run.claimed, started: DateText.format(run.startedAt), trigger: ExportWords.trigger(run.trigger),
                    status: ExportWords.run(run.status),
                    counts: "\(run.sent) sent, \(run.failed) failed of \(run.claimed)", error: run.error.flatMap { $0.isEmpty ? nil : $0 },
                    campaigns: run.campaigns.isEmpty
                        ? nil : run.campaigns.map { "\($0.name)\($0.id.map { " (\($0))" } ?? "")" }.joined(separator: "; "),
                    items: items.map {
                        .init(
                            email: $0.contactEmail, status: ExportWords.item($0.status, runStatus: run.status), lead: $0.leadID ?? "",
                            error: $0.error ?? "")
                    },
                    hasItems: !items.isEmpty, awaiting: run.status == .awaitingUpload,
                    abandonable: exporter != nil && run.id == open && active == nil))
        }
        let preview = try await history.preview(clientID: client.id, now: now)
        let waiting = try await history.waitingCampaigns(clientID: client.id)
        let leftOut = try await CSVExport(database: database, clock: clock).leftOut(clientID: client.id)
        let connected = exporter != nil && sequencer?.hasAPI == true && facts.sequencerKey != nil && !state.paused
        let model = ExportPage(
            page: PageChrome(title: "Export — \(client.name)", context: context, notice: Flash.read(request)),
            clientID: client.id, clientName: client.name,
            sequencer: sequencer?.rawValue ?? "none yet: connect one below",
            connection: ExportConnectionForm(facts, canConnect: exporter != nil, error: connectionError),
            settings: SequencerSettingsText.describe(settings, sequencer: sequencer, now: clock.nowMillis()),
            form: ExportSettingsForm(typed ?? settings), formError: error,
            next: state.paused
                ? "paused by the kill switch: no export until it is resumed" : try await history.nextScheduled(clientID: client.id, now: now),
            canRun: connected && active == nil, busy: active?.sentence,
            waiting: waiting.map { .init(run: $0.runID, name: $0.name, id: $0.campaignID, error: $0.error) }, hasWaiting: !waiting.isEmpty,
            canActivate: connected && active == nil,
            preview: preview.map {
                .init(
                    campaign: $0.campaignName, count: $0.count,
                    contacts: $0.firstContacts.joined(separator: ", ") + ($0.count > $0.firstContacts.count ? ", …" : ""),
                    samples: $0.samples.map { .init(contact: $0.contactEmail, subject: $0.subject, body: $0.body) })
            },
            hasPreview: !preview.isEmpty,
            spread: ExportWords.spread(leads: preview.reduce(0) { $0 + $1.count }, dailyLimit: settings.dailyLimit, days: settings.days),
            prepared: request.uri.queryParameters.get("prepared").flatMap(Int.init).flatMap { id in
                runs.first { $0.id == id && $0.awaiting }.map { ExportPage.PreparedFile(runID: id, count: $0.claimed) }
            },
            leftOut: leftOut.map { .init(emailID: $0.emailID, contact: $0.contactEmail, column: $0.column, character: $0.character) },
            hasLeftOut: !leftOut.isEmpty,
            runs: runs, hasRuns: !runs.isEmpty,
            csrf: context.session?.csrfToken ?? "",
            webhook: try await webhook(clientID: client.id, fresh: fresh))
        var response = try Flash.clearing(views.response("export/show", model), request)
        response.status = status
        return response
    }

    /// Makes the client's webhook address (replacing an earlier one) and shows it, with Smartlead's
    /// secret, this once.
    @Sendable func makeWebhook(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let client = try await client(context)
        let base = PublicURL.base(configured: publicURL, host: request.head.authority, secure: secure)
        let fresh: ExportPage.Fresh
        if let exporter {
            let connected = try await OutcomeSubscription(database: database, secrets: exporter.secrets, factory: exporter.factory, clock: clock)
                .connect(clientID: client.id, clientName: client.name, base: base, userID: user.id)
            fresh = ExportPage.Fresh(
                instantly: connected.instantlyURL, smartlead: connected.smartleadURL, secret: connected.made.secret,
                subscribed: connected.vendorID.map { "Greenlight created the webhook in Instantly (\($0)): nothing to paste." }, note: connected.note)
        } else {
            let made = try await OutcomeHooks(database: database, clock: clock).make(clientID: client.id, userID: user.id)
            fresh = ExportPage.Fresh(
                instantly: "\(base)/hooks/instantly/\(made.token)", smartlead: "\(base)/hooks/smartlead/\(made.token)", secret: made.secret,
                subscribed: nil,
                note: "Add the webhook in your sequencer with the address below.")
        }
        return try await page(client, request: request, context: context, fresh: fresh, status: .created)
    }

    /// Resumes the webhook the vendor disabled after failed deliveries.
    @Sendable func resumeWebhook(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let client = try await client(context)
        let back = "/clients/\(client.id)/export#webhook-title"
        guard let exporter else { return Flash.redirect(to: back, notice: "Resuming needs GREENLIGHT_SECRET_KEY set on the server.") }
        do {
            try await OutcomeSubscription(database: database, secrets: exporter.secrets, factory: exporter.factory, clock: clock)
                .resume(clientID: client.id, userID: user.id)
            return Flash.redirect(to: back, notice: "The webhook is active again; the next pull reads what it missed.")
        } catch let error as SequencerError {
            return Flash.redirect(to: back, notice: "The webhook was not resumed: \(error)")
        } catch let error as InputError {
            return Flash.redirect(to: back, notice: error.message)
        }
    }

    /// Records the outcomes of a sequencer's lead export (CSV) for emails sent from CSV files (``OutcomeUpload``).
    @Sendable func uploadOutcomes(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireUser()
        let client = try await client(context)
        var request = request
        let contentType = request.headers[.contentType] ?? ""
        let body = try await RequestBodyReader.collect(&request, context: context)
        guard contentType.hasPrefix("multipart/form-data"), let boundary = RequestBodyReader.boundary(contentType) else {
            throw AppError.badRequest("upload the lead export as a multipart form")
        }
        let form: MultipartForm
        do { form = try MultipartForm(body, boundary: boundary) } catch { throw AppError.badRequest("the upload form could not be read") }
        let back = "/clients/\(client.id)/export#webhook-title"
        guard let file = form.part("file"), file.body.readableBytes > 0 else {
            return Flash.redirect(to: back, notice: "Nothing recorded: choose the lead export (CSV) of your sequencer.")
        }
        do {
            let report = try await OutcomeUpload(database: database, clock: clock).record(
                .bytes(Array(file.body.readableBytesView)), clientID: client.id)
            if report.bouncesOrUnsubscribes > 0 { try await demotions.checkOutcomes(clientID: client.id) }
            let firstSkipped = report.skipped.first.map { " (row \($0.row): \($0.reason))" } ?? ""
            return Flash.redirect(to: back, notice: "Lead export read: \(report.sentence)\(firstSkipped).")
        } catch let error as ImportError {
            return Flash.redirect(to: back, notice: "Nothing recorded: \(error.message).")
        }
    }

    /// Reads the client's recent campaigns back now (``OutcomePull``) and says what it found.
    @Sendable func pullOutcomes(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireUser()
        let client = try await client(context)
        let back = "/clients/\(client.id)/export#webhook-title"
        guard let exporter else { return Flash.redirect(to: back, notice: "Reading outcomes needs GREENLIGHT_SECRET_KEY set on the server.") }
        let notice: String
        do {
            let report = try await OutcomePull(
                database: database, secrets: exporter.secrets, factory: exporter.factory, demotions: demotions, clock: clock
            ).run(clientID: client.id)
            try? await OutcomeSubscription(database: database, secrets: exporter.secrets, factory: exporter.factory, clock: clock)
                .refresh(clientID: client.id)
            notice = "Outcomes read back: \(report.sentence)."
        } catch let error as OutcomePull.Refused {
            notice = "Outcomes not read: \(error)."
        } catch let error as SequencerError {
            notice = "Outcomes not read: \(error). The next pull goes on from its last page."
        }
        return Flash.redirect(to: back, notice: notice)
    }

    private func webhook(clientID: Int, fresh: ExportPage.Fresh?) async throws -> ExportPage.Webhook {
        let made = try await OutcomeHooks(database: database, clock: clock).madeAt(clientID: clientID)
        let counts = try await OutcomeCounts.load(database, clientID: clientID)
        var received = "No outcome received yet."
        if let last = counts.lastReceivedAt {
            received = "\(counts.stored) event\(counts.stored == 1 ? "" : "s") received, the last \(DateText.format(last))"
            if counts.keptAside > 0 { received += "; \(counts.keptAside) for leads Greenlight did not send (kept aside, not attached)" }
            if counts.unknownTypes > 0 { received += "; \(counts.unknownTypes) of types Greenlight does not read (no effect)" }
            received += "."
        }
        let subscription = try await OutcomeHooks(database: database, clock: clock).subscription(clientID: clientID)
        let state = subscription.map { subscription in
            let vendor = subscription.vendor.capitalized
            let words =
                subscription.state == "disabled"
                ? "disabled by \(vendor) after failed deliveries"
                : subscription.state == "missing" ? "\(vendor) no longer has it: make the address again" : "active"
            return "Greenlight subscribed it in \(vendor) (\(subscription.id)): \(words)"
                + (subscription.checkedAt.map { ", checked \(DateText.format($0))." } ?? ".")
        }
        return ExportPage.Webhook(
            made: made.map(DateText.format), fresh: fresh, received: received, subscription: state, disabled: subscription?.state == "disabled")
    }

    @Sendable func runNow(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await start(context, resumeOnly: false)
    }

    /// Starts the campaigns an earlier run left unstarted (and finishes that run), claiming nothing new.
    @Sendable func activateNow(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await start(context, resumeOnly: true)
    }

    private func start(_ context: AppRequestContext, resumeOnly: Bool) async throws -> Response {
        let user = try context.requireUser()
        let client = try await client(context)
        guard let exporter else {
            return Flash.redirect(to: "/clients/\(client.id)/export", notice: "Exports need GREENLIGHT_SECRET_KEY set on the server.")
        }
        do {
            let run = try await exporter.start(clientID: client.id, resumeOnly: resumeOnly, by: user.name)
            try await AuditLog(database: database, clock: clock).record(
                userID: user.id, action: resumeOnly ? "export run resumed" : "export run started", target: client.name, details: "run \(run)")
            return Flash.redirect(
                to: "/clients/\(client.id)/export",
                notice: "Export run \(run) \(resumeOnly ? "resumed to start its campaign" : "started"): reload to follow it.")
        } catch let error as InputError {
            return Flash.redirect(to: "/clients/\(client.id)/export", notice: error.message)
        } catch let busy as ExportBusy {
            return Flash.redirect(to: "/clients/\(client.id)/export", notice: busy.description)
        }
    }
}

extension ExportController {
    /// Abandons a run that cannot finish: its unanswered leads settled by asking the sequencer, the
    /// rest approved again, audited (``Exporter/abandon(runID:clientIDs:by:userID:)``).
    @Sendable func abandon(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        guard let id = context.parameters.get("id", as: Int.self),
            let run = try await ExportHistory(database: database).run(id: id, clientIDs: context.visibleClientIDs)
        else { throw NotFound("export run") }
        let page = "/clients/\(run.clientID)/export"
        guard let exporter else { return Flash.redirect(to: page, notice: "Exports need GREENLIGHT_SECRET_KEY set on the server.") }
        do {
            let abandoned = try await exporter.abandon(runID: id, clientIDs: context.visibleClientIDs, by: user.name, userID: user.id)
            return Flash.redirect(to: page, notice: abandoned.sentence)
        } catch let error as InputError {
            return Flash.redirect(to: page, notice: error.message)
        } catch let busy as ExportBusy {
            return Flash.redirect(to: page, notice: busy.description)
        }
    }

    /// Takes one email out of a CSV file not uploaded yet, back to its page, where it can be undone.
    @Sendable func removeFromFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        guard let id = context.parameters.get("id", as: Int.self), let email = context.parameters.get("email", as: Int.self) else {
            throw NotFound("export run")
        }
        do {
            let address = try await CSVExport(database: database, clock: clock).remove(
                runID: id, emailID: email, clientIDs: context.visibleClientIDs, by: user.name, userID: user.id)
            return Flash.redirect(
                to: "/review/\(email)",
                notice:
                    "Email #\(email) (\(address)) is out of the CSV file of run \(id): download that file again before you upload it. The email can be undone now."
            )
        } catch let error as InputError {
            return Flash.redirect(to: "/review/\(email)", notice: error.message)
        }
    }

    /// Claims the approved emails for a CSV file to upload by hand.
    @Sendable func prepareCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let client = try await client(context)
        let page = "/clients/\(client.id)/export"
        do {
            guard let prepared = try await CSVExport(database: database, clock: clock).prepare(clientID: client.id, userID: user.id) else {
                return Flash.redirect(to: page, notice: "No approved email waits for export.")
            }
            return Response.redirect(to: page + "?prepared=\(prepared.runID)#prepared", type: .normal)
        } catch let error as InputError {
            return Flash.redirect(to: page, notice: error.message)
        } catch let busy as ExportBusy {
            return Flash.redirect(to: page, notice: busy.description)
        }
    }

    @Sendable func downloadCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireUser()
        guard let id = context.parameters.get("id", as: Int.self) else { throw NotFound("CSV export") }
        let file = try await CSVExport(database: database, clock: clock).file(runID: id, clientIDs: context.visibleClientIDs)
        return Response(
            status: .ok,
            headers: [
                .contentType: CSVDownload.contentType, .contentDisposition: CSVDownload.contentDisposition(filename: file.name),
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }

    @Sendable func confirmCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await finishCSV(context, confirm: true)
    }

    @Sendable func cancelCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await finishCSV(context, confirm: false)
    }

    private func finishCSV(_ context: AppRequestContext, confirm: Bool) async throws -> Response {
        let user = try context.requireUser()
        guard let id = context.parameters.get("id", as: Int.self),
            let run = try await ExportHistory(database: database).run(id: id, clientIDs: context.visibleClientIDs)
        else { throw NotFound("CSV export") }
        let export = CSVExport(database: database, clock: clock)
        let page = "/clients/\(run.clientID)/export"
        do {
            if confirm {
                return Flash.redirect(
                    to: page,
                    notice:
                        "Run \(id): \(try await export.confirm(runID: id, clientIDs: context.visibleClientIDs, userID: user.id)) emails marked sent.")
            }
            try await export.cancel(runID: id, clientIDs: context.visibleClientIDs, userID: user.id)
            return Flash.redirect(to: page, notice: "Run \(id) cancelled: its emails stay approved for the next export.")
        } catch let error as InputError {
            return Flash.redirect(to: page, notice: error.message)
        }
    }
}
