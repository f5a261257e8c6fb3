import Foundation
import SQLKit
import GreenlightCore

/// Which clients each user works on. Admins see every client; SDRs and managers only theirs.
public struct ClientAssignments: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func assign(userID: Int, clientID: Int) async throws {
        try await database.write { sql in
            try await sql.raw("INSERT INTO user_clients (user_id, client_id) VALUES (\(bind: userID), \(bind: clientID)) ON CONFLICT DO NOTHING")
                .run()
        }
    }

    public func unassign(userID: Int, clientID: Int) async throws {
        try await database.write { sql in
            try await sql.raw("DELETE FROM user_clients WHERE user_id = \(bind: userID) AND client_id = \(bind: clientID)").run()
        }
    }
}
