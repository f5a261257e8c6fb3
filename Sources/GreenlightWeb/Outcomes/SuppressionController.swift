import Foundation
import Hummingbird
import GreenlightCore
import GreenlightWork

/// A client's suppression list on its page: a manager marks an address or a domain do-not-contact,
/// or takes an entry off (``SuppressionList``, audited); a wrong entry comes back on the page with
/// the message beside the field and nothing changed.
struct SuppressionController {
    let views: ViewRenderer
    let database: Database
    let clock: TimeSource

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/clients/:id/suppressions", use: add)
        router.post("/clients/:id/suppressions/:entry/remove", use: remove)
    }

    @Sendable func add(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let client = try await context.visibleClient(in: database)
        var request = request
        let fields = QueryString.parameters(String(buffer: try await RequestBodyReader.collect(&request, context: context)))
        let address = fields["address"] ?? "", note = fields["note"] ?? ""
        do {
            let entry = try await SuppressionList(database: database, clock: clock).add(
                clientID: client.id, text: address, note: note, userID: user.id)
            return Flash.redirect(
                to: "/clients/\(client.id)#suppression-title",
                notice:
                    "\(entry.address) is on \(client.name)'s suppression list: never exported again\(entry.kind == .domain ? ", nor any address at it" : "")."
            )
        } catch let error as InputError {
            let model = try await ClientShowPage.make(
                client: client, database: database, context: context, notice: nil, typed: .init(error: error, suppression: (address, note)))
            return try views.response("clients/show", model, status: .unprocessableContent)
        }
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let client = try await context.visibleClient(in: database)
        guard let id = context.parameters.get("entry", as: Int.self) else { throw NotFound("that entry of the suppression list") }
        let entry = try await SuppressionList(database: database, clock: clock).remove(clientID: client.id, id: id, userID: user.id)
        return Flash.redirect(
            to: "/clients/\(client.id)#suppression-title", notice: "\(entry.address) is off the suppression list: it may be exported again.")
    }
}
