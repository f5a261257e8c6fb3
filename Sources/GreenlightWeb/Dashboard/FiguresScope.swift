import Foundation
import Hummingbird
import GreenlightCore
import GreenlightWork

/// Whose figures an analytics API call reads (`GET /api/v1/analytics`, `GET /api/v1/outcomes`): the
/// range of `from` and `to`, the caller's visible clients or the one `client` names (an id or a
/// name; 404 when unknown or not visible), and for an SDR's session their own work only (an API key
/// or a manager's session sees the whole team's).
struct FiguresScope {
    var range: DashboardRange
    var clientIDs: [Int]?
    /// The SDR whose own figures these are, or nil for the team's.
    var reviewerID: Int?

    static func of(_ request: Request, context: AppRequestContext, database: Database, clock: TimeSource) async throws -> FiguresScope {
        let parameters = QueryString.parameters(request.uri.query ?? "")
        let range = try DashboardRange(from: parameters["from"], to: parameters["to"], now: clock.nowMillis())
        var clientIDs = context.visibleClientIDs
        if let key = parameters["client"], !key.isEmpty {
            let clients = ClientRepository(database: database, clock: clock)
            let client: ClientRecord?
            if let id = Int(key) { client = try await clients.find(id: id) } else { client = try await clients.find(name: key) }
            guard let client, clientIDs?.contains(client.id) ?? true else { throw NotFound("client \(key)") }
            clientIDs = [client.id]
        }
        let reviewerID = context.user.flatMap { $0.role.permissions.contains(.manageRollout) ? nil : $0.id }
        return FiguresScope(range: range, clientIDs: clientIDs, reviewerID: reviewerID)
    }
}
