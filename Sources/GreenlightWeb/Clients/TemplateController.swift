import Foundation
import Hummingbird
import MultipartKit
import GreenlightCore
import GreenlightWork

/// Templates in the browser, for the client's managers: add one (typed or uploaded as the file
/// `greenlight template add` reads, checked by the same parser), edit it, preview it drafted for a
/// contact without storing anything, retire it (no new drafts; old ones keep their link) or restore it.
struct TemplateController {
    let views: ViewRenderer
    let database: Database
    let clock: TimeSource

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/clients/:id/templates/new", use: new)
        router.post("/clients/:id/templates", use: create)
        router.get("/clients/:id/templates/:template/edit", use: edit)
        router.post("/clients/:id/templates/:template/edit", use: update)
        router.post("/clients/:id/templates/:template/retire", use: retire)
        router.post("/clients/:id/templates/:template/restore", use: restore)
    }

    @Sendable func new(_ request: Request, context: AppRequestContext) async throws -> Response {
        let client = try await client(context)
        return try await page(
            context, client: client, template: nil, text: TemplateForm.starter, contactID: nil, error: nil, preview: nil, status: .ok)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await submit(request, context, template: nil)
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let client = try await client(context)
        let template = try await template(context, client: client)
        return try await page(
            context, client: client, template: template, text: TemplateFile.render(template.template), contactID: nil, error: nil, preview: nil,
            status: .ok)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let client = try await client(context)
        return try await submit(request, context, template: try await template(context, client: client))
    }

    @Sendable func retire(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await setRetired(true, context)
    }

    @Sendable func restore(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await setRetired(false, context)
    }

    private func setRetired(_ retired: Bool, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let client = try await client(context)
        let template = try await template(context, client: client)
        let record = try await TemplateRepository(database: database, clock: clock).setRetired(
            retired, id: template.id, clientID: client.id, by: user.id)
        return Flash.redirect(
            to: "/clients/\(client.id)#template-\(record.id)",
            notice: retired
                ? "Template \(record.template.name) retired: no new drafts use it; the drafts it made keep it."
                : "Template \(record.template.name) is in use again.")
    }

    /// Previews or saves the posted template text (the uploaded file, when one is chosen, wins).
    private func submit(_ request: Request, _ context: AppRequestContext, template: TemplateRecord?) async throws -> Response {
        let user = try context.requireUser()
        let client = try await client(context)
        var request = request
        let fields = try await Self.fields(&request, context)
        let text = fields["text"] ?? ""
        let contactID = fields["contact"].flatMap(Int.init)
        do {
            let parsed = try TemplateFile.parse(text, source: "the template")
            if fields["action"] == "preview" {
                let result = try await TemplatePreview(database: database, clock: clock).draft(parsed, clientID: client.id, contactID: contactID)
                return try await page(
                    context, client: client, template: template, text: text, contactID: result.contact.id, error: nil,
                    preview: TemplateForm.preview(result), status: .ok)
            }
            let repository = TemplateRepository(database: database, clock: clock)
            if let template {
                let changes = try await repository.update(id: template.id, clientID: client.id, with: parsed, by: user.id)
                return Flash.redirect(
                    to: "/clients/\(client.id)#template-\(template.id)",
                    notice: changes.isEmpty ? "Nothing changed." : "Template \(parsed.name) saved: " + changes.joined(separator: "; ") + ".")
            }
            let id = try await repository.create(parsed, clientID: client.id, by: user.id)
            return Flash.redirect(
                to: "/clients/\(client.id)#template-\(id)", notice: "Template \(parsed.name) added. Import contacts to draft with it.")
        } catch let error as ImportError {
            return try await page(
                context, client: client, template: template, text: text, contactID: contactID, error: error.message, preview: nil,
                status: .unprocessableContent)
        } catch let error as InputError {
            return try await page(
                context, client: client, template: template, text: text, contactID: contactID, error: error.message, preview: nil,
                status: .unprocessableContent)
        }
    }

    /// The form's fields from a urlencoded or multipart body; a chosen file's text becomes `text`.
    static func fields(_ request: inout Request, _ context: AppRequestContext) async throws -> [String: String] {
        let contentType = request.headers[.contentType] ?? ""
        let body = try await RequestBodyReader.collect(&request, context: context)
        guard contentType.hasPrefix("multipart/form-data"), let boundary = RequestBodyReader.boundary(contentType) else {
            return QueryString.parameters(String(buffer: body))
        }
        let form: MultipartForm
        do { form = try MultipartForm(body, boundary: boundary) } catch { throw AppError.badRequest("the template form could not be read") }
        var fields: [String: String] = [:]
        for name in ["text", "contact", "action"] { fields[name] = form.text(name) }
        if let file = form.part("file"), file.body.readableBytes > 0 {
            guard let text = String(bytes: Array(file.body.readableBytesView), encoding: .utf8) else {
                throw ImportError("the uploaded file is not UTF-8 text")
            }
            fields["text"] = text
        }
        return fields
    }

    private func page(
        _ context: AppRequestContext, client: ClientRecord, template: TemplateRecord?, text: String, contactID: Int?, error: String?,
        preview: TemplateForm.PreviewView?, status: HTTPResponse.Status
    ) async throws -> Response {
        let contacts = try await TemplatePreview(database: database, clock: clock).contacts(clientID: client.id)
        let title = template.map { "Edit \($0.template.name)" } ?? "New template for \(client.name)"
        let model = TemplateForm(
            page: PageChrome(title: title, context: context, section: .init(clients: true)), csrf: context.session?.csrfToken ?? "",
            clientID: client.id, clientName: client.name,
            action: template.map { "/clients/\(client.id)/templates/\($0.id)/edit" } ?? "/clients/\(client.id)/templates", isNew: template == nil,
            text: text, textError: error,
            contacts: contacts.map {
                .init(id: $0.id, label: "\($0.firstName) \($0.lastName), \($0.companyName)", selected: $0.id == contactID)
            }, hasContacts: !contacts.isEmpty, preview: preview,
            variables: TemplateVariableCatalog.all.sorted().map { "{{\($0)}}" }.joined(separator: " "))
        return try views.response("templates/form", model, status: status)
    }

    private func client(_ context: AppRequestContext) async throws -> ClientRecord {
        _ = try context.requireUser()
        return try await context.visibleClient(in: database)
    }

    private func template(_ context: AppRequestContext, client: ClientRecord) async throws -> TemplateRecord {
        guard let text = context.parameters.get("template"), let id = Int(text),
            let template = try await TemplateRepository(database: database).find(id: id), template.clientID == client.id
        else { throw NotFound("that template") }
        return template
    }
}
