import Foundation
import SQLKit
import GreenlightCore

extension ClientRepository {
    /// Archives a client (its users stop seeing it, its API keys stop working, no import or new
    /// export starts for it; every row stays) or restores it. Audited; doing what is done changes nothing.
    @discardableResult
    public func setArchived(_ archived: Bool, id: Int, by userID: Int?) async throws -> ClientRecord {
        let now = clock.nowMillis()
        return try await database.write { sql in
            guard var client = try await Self.loadOne(sql, id: id) else { throw NotFound("that client") }
            guard (client.archivedAt != nil) != archived else { return client }
            client.archivedAt = archived ? now : nil
            try await sql.raw("UPDATE clients SET archived_at = \(bind: client.archivedAt) WHERE id = \(bind: id)").run()
            try await AuditLog.append(
                sql, userID: userID, action: archived ? "client archived" : "client restored", target: client.name,
                details: archived ? "hidden from lists, queues and exports; data kept" : "back in lists, queues and exports", at: now)
            return client
        }
    }

    /// The ids of archived clients.
    public func archivedIDs() async throws -> [Int] {
        try await database.read { sql in
            try await sql.raw("SELECT id FROM clients WHERE archived_at IS NOT NULL ORDER BY id").all().map {
                try $0.decode(column: "id", as: Int.self)
            }
        }
    }
}
