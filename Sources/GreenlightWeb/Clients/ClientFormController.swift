import Foundation
import Hummingbird
import MultipartKit
import GreenlightCore
import GreenlightWork

/// Creating and editing a client in the browser (managers and admins; a manager edits only the
/// clients they work on, and works on the clients they create). "Preview" shows how the pack reads
/// without saving; "Save" saves it through ``ClientRepository`` — the checks of `greenlight client add`.
struct ClientFormController {
    let views: ViewRenderer
    let database: Database
    let clock: TimeSource

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/clients/new", use: new)
        router.post("/clients", use: create)
        router.post("/clients/upload", use: upload)
        router.get("/clients/:id/edit", use: edit)
        router.post("/clients/:id/edit", use: update)
    }

    @Sendable func new(_ request: Request, context: AppRequestContext) async throws -> Response {
        try page(context, client: nil, fields: .init(nil), error: nil, preview: nil, status: .ok)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let fields = ClientForm.Fields(
            posted: QueryString.parameters(String(buffer: try await RequestBodyReader.collect(&request, context: context))))
        do {
            let (profile, pack) = try fields.read(keeping: nil)
            if fields["action"] == "preview" {
                try ClientPackCheck.check(profile, pack)
                return try page(context, client: nil, fields: fields, error: nil, preview: ClientForm.preview(pack), status: .ok)
            }
            let id = try await ClientRepository(database: database, clock: clock).create(profile: profile, pack: pack, by: user)
            return Flash.redirect(to: "/clients/\(id)", notice: "Client \(profile.name) created. Next: a template, then an import.")
        } catch let error as InputError {
            return try page(context, client: nil, fields: fields, error: error, preview: nil, status: .unprocessableContent)
        }
    }

    /// Creates a client from the uploaded files of a `client add` folder.
    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let contentType = request.headers[.contentType] ?? ""
        let body = try await RequestBodyReader.collect(&request, context: context)
        guard contentType.hasPrefix("multipart/form-data"), let boundary = RequestBodyReader.boundary(contentType) else {
            throw AppError.badRequest("upload the pack's files as a multipart form")
        }
        let form: MultipartForm
        do { form = try MultipartForm(body, boundary: boundary) } catch { throw AppError.badRequest("the upload form could not be read") }
        do {
            let contents = try ClientUpload.read(form)
            let id = try await ClientRepository(database: database, clock: clock).create(profile: contents.profile, pack: contents.pack, by: user)
            return Flash.redirect(
                to: "/clients/\(id)", notice: "Client \(contents.profile.name) created from the uploaded files. Next: a template, then an import.")
        } catch let error as ImportError {
            return try page(
                context, client: nil, fields: .init(nil), error: nil, uploadError: error.message, preview: nil, status: .unprocessableContent)
        } catch let error as InputError {
            return try page(
                context, client: nil, fields: .init(nil), error: nil, uploadError: error.message, preview: nil, status: .unprocessableContent)
        }
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let client = try await client(context)
        return try page(context, client: client, fields: .init(client), error: nil, preview: nil, status: .ok)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let client = try await client(context)
        var request = request
        let fields = ClientForm.Fields(
            posted: QueryString.parameters(String(buffer: try await RequestBodyReader.collect(&request, context: context))))
        do {
            let (profile, pack) = try fields.read(keeping: client)
            if fields["action"] == "preview" {
                try ClientPackCheck.check(profile, pack)
                return try page(context, client: client, fields: fields, error: nil, preview: ClientForm.preview(pack), status: .ok)
            }
            let changes = try await ClientRepository(database: database, clock: clock).update(
                id: client.id, profile: profile, pack: pack, by: user.id)
            return Flash.redirect(
                to: "/clients/\(client.id)",
                notice: changes.isEmpty ? "Nothing changed." : "\(profile.name) saved: " + changes.joined(separator: "; ") + ".")
        } catch let error as InputError {
            return try page(context, client: client, fields: fields, error: error, preview: nil, status: .unprocessableContent)
        }
    }

    private func page(
        _ context: AppRequestContext, client: ClientRecord?, fields: ClientForm.Fields, error: InputError?, uploadError: String? = nil,
        preview: ClientForm.Preview?, status: HTTPResponse.Status
    ) throws -> Response {
        let title = client.map { "Edit \($0.name)" } ?? "New client"
        let model = ClientForm(
            page: PageChrome(title: title, context: context, section: .init(clients: true)), csrf: context.session?.csrfToken ?? "", client: client,
            fields: fields, error: error, uploadError: uploadError, preview: preview)
        return try views.response("clients/form", model, status: status)
    }

    private func client(_ context: AppRequestContext) async throws -> ClientRecord {
        _ = try context.requireUser()
        return try await context.visibleClient(in: database)
    }
}
