import Foundation
import Hummingbird
import MultipartKit

/// The CSV upload page and the per-row import report.
struct ImportController {
    let views: ViewRenderer
    let database: Database
    let filler: any VariableFiller

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

        var page: PageChrome
        var templates: [TemplateOption]
        var hasTemplates: Bool
        var csrf: String
        var error: String?
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
        var status: String
        var queueURL: String
        var encoding: String
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        return try await uploadPage(context: context, error: nil, selected: nil, status: .ok)
    }

    private func uploadPage(context: AppRequestContext, error: String?, selected: Int?, status: HTTPResponse.Status) async throws -> Response {
        let clients = try await ClientRepository(database: database).all(ids: context.visibleClientIDs)
        let names = Dictionary(uniqueKeysWithValues: clients.map { ($0.id, $0.name) })
        let templates = try await TemplateRepository(database: database).all().filter { names[$0.clientID] != nil }.map {
            UploadPage.TemplateOption(id: $0.id, label: "\(names[$0.clientID] ?? "") — \($0.template.name)", selected: $0.id == selected)
        }
        let model = UploadPage(page: PageChrome(title: "Import contacts", context: context, section: .init(importing: true)),
                               templates: templates, hasTemplates: !templates.isEmpty, csrf: context.session?.csrfToken ?? "", error: error)
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
        guard let templateID, let template = try await TemplateRepository(database: database).find(id: templateID),
              context.visibleClientIDs?.contains(template.clientID) ?? true else {
            return try await uploadPage(context: context, error: "Choose the client and template these contacts are for.", selected: nil, status: .unprocessableContent)
        }
        guard let part = form.part("file"), part.body.readableBytes > 0 else {
            return try await uploadPage(context: context, error: "Choose a CSV file to import.", selected: templateID, status: .unprocessableContent)
        }
        let fileName = Self.fileName(of: part) ?? "upload.csv"
        let report: ImportReport
        do {
            report = try await ContactImporter(database: database).importCSV(.bytes(Array(part.body.readableBytesView)), fileName: fileName, clientID: template.clientID, templateID: templateID, userID: user.id)
        } catch let error as ImportError {
            return try await uploadPage(context: context, error: "\(fileName): \(error.message). Nothing was imported.", selected: templateID, status: .unprocessableContent)
        }
        try await AuditLog(database: database).record(userID: user.id, action: "import", target: "batch \(report.batchID)",
                                                      details: "\(fileName): \(report.imported) imported, \(report.skipped.count) skipped")
        if form.text("generate") != "no" {
            _ = try await DraftGenerator(database: database, filler: filler).generate(batchID: report.batchID)
        }
        return .redirect(to: "/batches/\(report.batchID)", type: .normal)
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireUser()
        guard let text = context.parameters.get("id"), let id = Int(text),
              let batch = try await BatchRepository(database: database).find(id: id),
              context.visibleClientIDs?.contains(batch.clientID) ?? true else { throw NotFound("that import") }
        let model = ReportPage(
            page: PageChrome(title: "Import \(batch.fileName)", context: context, section: .init(importing: true)),
            batchID: batch.id, fileName: batch.fileName, clientName: batch.clientName, templateName: batch.templateName,
            rowsRead: batch.rowsTotal, imported: batch.rowsImported, skippedCount: batch.skipped.count, skipped: batch.skipped,
            hasSkipped: !batch.skipped.isEmpty, drafted: batch.drafted, status: batch.status,
            queueURL: QueueURL.make(QueueFilter(batchID: batch.id)), encoding: ""
        )
        return try views.response("import/report", model)
    }

    /// The uploaded file's name from its Content-Disposition, without any folder.
    static func fileName(of part: MultipartPart) -> String? {
        guard let disposition = part.headers.first(name: "Content-Disposition"),
              let range = disposition.range(of: "filename=\"") else { return nil }
        let rest = disposition[range.upperBound...]
        let name = rest.prefix { $0 != "\"" }
        let base = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        return base.isEmpty ? nil : String(base.prefix(200))
    }
}
