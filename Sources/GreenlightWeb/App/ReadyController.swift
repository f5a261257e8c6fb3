import Foundation
import Logging
import SQLKit
import Hummingbird
import GreenlightCore

/// `GET /ready`: whether a load balancer should send this instance traffic — 200 once its server runs,
/// the database answers and its schema is the one this build knows; 503 while it starts, once a
/// graceful shutdown has begun, when the database does not answer, or when another instance migrated
/// the database to a schema newer than this build's. `/health` stays the liveness probe.
struct ReadyController {
    let database: Database
    let readiness: ReadinessState
    /// The newest migration this build has.
    let schema: Int

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/ready", use: ready)
    }

    struct Ready: Encodable {
        var status: String
        var stage: String
        var schema_version: Int?
        var build_schema_version: Int
        var problems: [String]
    }

    @Sendable func ready(_ request: Request, context: AppRequestContext) async throws -> Response {
        var problems: [String] = []
        let stage = readiness.stage
        switch stage {
        case .starting: problems.append("the server is starting")
        case .stopping: problems.append("the instance is shutting down")
        case .ready: break
        }
        var version: Int?
        do {
            version = try await database.read { sql in
                try await sql.raw("SELECT MAX(version) AS v FROM schema_migrations").first()?.decode(column: "v", as: Int?.self)
            }
            if let version, version > schema {
                problems.append("the database's schema (\(version)) is newer than this build's (\(schema)): another instance runs a newer release")
            }
        } catch {
            context.logger.error("readiness check: database failed: \(String(reflecting: error))")
            problems.append("the database does not answer")
        }
        return try JSONAnswer.make(
            Ready(
                status: problems.isEmpty ? "ready" : "unavailable", stage: stage.rawValue, schema_version: version, build_schema_version: schema,
                problems: problems),
            status: problems.isEmpty ? .ok : .serviceUnavailable)
    }
}
