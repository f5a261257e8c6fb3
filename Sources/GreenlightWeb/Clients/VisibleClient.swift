import Foundation
import Hummingbird
import GreenlightCore
import GreenlightWork

extension AppRequestContext {
    /// The client the path's `id` names, when the caller works on it; not found otherwise (a client
    /// of someone else's answers as one that does not exist).
    func visibleClient(in database: Database) async throws -> ClientRecord {
        guard let text = parameters.get("id"), let id = Int(text), visibleClientIDs?.contains(id) ?? true,
            let client = try await ClientRepository(database: database).find(id: id)
        else { throw NotFound("that client") }
        return client
    }
}
