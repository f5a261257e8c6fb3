import Foundation
import Hummingbird
import MultipartKit
import GreenlightCore
import GreenlightWork

/// The CSV upload page and the batch's page: the per-row import report, then the drafting
/// workers' progress (refreshing itself while they work).
struct ImportController {
    let views: ViewRenderer
    let database: Database
    let clock: TimeSource
    let metrics: AppMetrics

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/import", use: form)
        router.post("/import", use: upload)
        router.get("/batches/:id", use: report)
    }

    struct UploadPage {
        struct TemplateOption {
            var id: Int
            var label: String
            var selected: Bool
        }

        /// A past import, linking to its batch page.
        struct PastImport {
            var id: Int
            var fileName: String
            var client: String
            var template: String
            var when: String
            var by: String
            var imported: String
            var status: String
        }

        var page: PageChrome
        var templates: [TemplateOption]
        var hasTemplates: Bool
        var csrf: String
        var error: String?
        var imports: [PastImport]
        var hasImports: Bool
    }

    /// A batch's status in words.
    static func batchStatus(_ status: BatchStatus) -> String {
        switch status {
        case .importing: "importing"
        case .imported: "imported, not drafted"
        case .generating: "drafting"
        case .generated: "drafted"
        case .failed: "drafting failed"
        }
    }

    struct ReportPage {
        var page: PageChrome
        var batchID: Int
        var fileName: String
        var clientName: String
        var templateName: String
        var rowsRead: Int
        var imported: Int
        var skippedCount: Int
        var skipped: [ImportReport.SkippedRow]
        var hasSkipped: Bool
        var drafted: Int
        var queueURL: String
        var job: JobView?
    }

    /// The drafting job as the batch page shows it.
    struct JobView {
        var statusLabel: String
        var isPaused: Bool
        var pausedReason: String?
        var isFailed: Bool
        var total: Int
        var handled: Int
        var done: Int
        var failed: Int
        var hasFailed: Bool
        var percent: Int
        var tokens: String
        var cost: String
        var cacheLine: String?

        init(_ job: JobProgress) {
            switch job.status {
            case "queued": statusLabel = "Queued for drafting"
            case "running": statusLabel = "Drafting"
            case "paused": statusLabel = "Paused"
            case "failed": statusLabel = "Drafting failed"
            default: statusLabel = "Drafted"
            }
            isPaused = job.status == "paused"
            pausedReason = job.pausedReason
            isFailed = job.status == "failed"
            total = job.total
            handled = job.done + job.failed
            done = job.done
            failed = job.failed
            hasFailed = job.failed > 0
            percent = job.total == 0 ? 100 : handled * 100 / job.total
            tokens = QueueCount.grouped(job.tokens)
            cost = SpendLedger.dollars(job.costMicrodollars)
            cacheLine = job.cacheHitRate.map {
                "\(job.cacheHits) of \(job.cacheLookups) company answers from the cache (\(Int(($0 * 100).rounded()))%)"
            }
        }
    }

    /// How often the batch page reloads itself while its job may still change: drafting moves fast,
    /// a paused job waits for a budget window.
    static func refreshSeconds(_ job: JobProgress) -> String? {
        guard job.isActive else { return nil }
        return job.status == "paused" ? "30" : "3"
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        return try await uploadPage(context: context, error: nil, selected: nil, status: .ok)
    }

    private func uploadPage(context: AppRequestContext, error: String?, selected: Int?, status: HTTPResponse.Status) async throws -> Response {
        let clients = try await ClientRepository(database: database, clock: clock).all(ids: context.visibleClientIDs)
        let names = Dictionary(uniqueKeysWithValues: clients.map { ($0.id, $0.name) })
        let templates = try await TemplateRepository(database: database, clock: clock).all().filter {
            names[$0.clientID] != nil && $0.retiredAt == nil
        }.map {
            UploadPage.TemplateOption(id: $0.id, label: "\(names[$0.clientID] ?? "") — \($0.template.name)", selected: $0.id == selected)
        }
        let imports = try await BatchRepository(database: database).recent(clientIDs: context.visibleClientIDs).map {
            UploadPage.PastImport(
                id: $0.id, fileName: $0.fileName, client: $0.clientName, template: $0.templateName, when: DateText.format($0.createdAt),
                by: $0.byName ?? "the command line", imported: "\(QueueCount.grouped($0.rowsImported)) of \(QueueCount.grouped($0.rowsTotal))",
                status: Self.batchStatus($0.status))
        }
        let model = UploadPage(
            page: PageChrome(title: "Import contacts", context: context, section: .init(importing: true)),
            templates: templates, hasTemplates: !templates.isEmpty, csrf: context.session?.csrfToken ?? "", error: error,
            imports: imports, hasImports: !imports.isEmpty)
        return try views.response("import/upload", model, status: status)
    }

    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await RequestBodyReader.collect(&request, context: context)
        guard let boundary = RequestBodyReader.boundary(request.headers[.contentType] ?? "") else {
            throw AppError.badRequest("the upload must be sent as multipart/form-data")
        }
        let form: MultipartForm
        do {
            form = try MultipartForm(body, boundary: boundary)
        } catch {
            throw AppError.badRequest("the upload form could not be read")
        }
        let templateID = form.text("template").flatMap(Int.init)
        guard let templateID, let template = try await TemplateRepository(database: database, clock: clock).find(id: templateID),
            context.visibleClientIDs?.contains(template.clientID) ?? true
        else {
            return try await uploadPage(
                context: context, error: "Choose the client and template these contacts are for.", selected: nil, status: .unprocessableContent)
        }
        guard let part = form.part("file"), part.body.readableBytes > 0 else {
            return try await uploadPage(context: context, error: "Choose a CSV file to import.", selected: templateID, status: .unprocessableContent)
        }
        let fileName = Self.fileName(of: part) ?? "upload.csv"
        let report: ImportReport
        let started = ContinuousClock.now
        do {
            // Queued for the drafting workers in the import's last write, unless the manager drafts later.
            let queuedAt = form.text("generate") == "no" ? nil : clock.nowMillis()
            report = try await ContactImporter(database: database, clock: clock).importCSV(
                .bytes(Array(part.body.readableBytesView)), fileName: fileName, clientID: template.clientID,
                templateID: templateID, userID: user.id, queuedAt: queuedAt)
        } catch let error as ImportError {
            return try await uploadPage(
                context: context, error: "\(fileName): \(error.message). Nothing was imported.", selected: templateID, status: .unprocessableContent)
        }
        metrics.imported(rows: report.imported, skipped: report.skipped.count, duration: ContinuousClock.now - started, source: "upload")
        try await AuditLog(database: database, clock: clock).record(
            userID: user.id, action: "import", target: "batch \(report.batchID)",
            details: "\(fileName): \(report.imported) imported, \(report.skipped.count) skipped")
        return .redirect(to: "/batches/\(report.batchID)", type: .normal)
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireUser()
        guard let text = context.parameters.get("id"), let id = Int(text),
            let batch = try await BatchRepository(database: database).find(id: id),
            context.visibleClientIDs?.contains(batch.clientID) ?? true
        else { throw NotFound("that import") }
        let job =
            batch.draftingAsked
            ? try await JobProgress.load(database, batchID: id, clientIDs: nil, clock: clock) : nil
        var chrome = PageChrome(title: "Import \(batch.fileName)", context: context, section: .init(importing: true))
        chrome.refreshSeconds = job.flatMap(Self.refreshSeconds)
        let model = ReportPage(
            page: chrome,
            batchID: batch.id, fileName: batch.fileName, clientName: batch.clientName, templateName: batch.templateName,
            rowsRead: batch.rowsTotal, imported: batch.rowsImported, skippedCount: batch.skipped.count, skipped: batch.skipped,
            hasSkipped: !batch.skipped.isEmpty, drafted: batch.drafted,
            queueURL: QueueURL.make(QueueFilter(batchID: batch.id)), job: job.map(JobView.init)
        )
        return try views.response("import/report", model)
    }

    /// The uploaded file's name from its Content-Disposition, without any folder.
    static func fileName(of part: MultipartPart) -> String? {
        guard let disposition = part.headers.first(name: "Content-Disposition"),
            let range = disposition.range(of: "filename=\"")
        else { return nil }
        let rest = disposition[range.upperBound...]
        let name = rest.prefix { $0 != "\"" }
        let base = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        return base.isEmpty ? nil : String(base.prefix(200))
    }
}
