import Logging
import Foundation
import Hummingbird
import GreenlightCore

/// `GET /health`: 200 when the database answers, 503 when it does not.
struct HealthController {
    let database: Database

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/health", use: health)
    }

    struct Health: Encodable {
        struct DatabaseStatus: Encodable {
            var dialect: String
            var ok: Bool
            var error: String?
        }

        var status: String
        var database: DatabaseStatus
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            try await database.ping()
            return try JSONAnswer.make(Health(status: "ok", database: .init(dialect: database.dialect.rawValue, ok: true, error: nil)))
        } catch {
            context.logger.error("health check: database failed: \(String(reflecting: error))")
            return try JSONAnswer.make(
                Health(status: "unavailable", database: .init(dialect: database.dialect.rawValue, ok: false, error: "the database does not answer")),
                status: .serviceUnavailable)
        }
    }
}
