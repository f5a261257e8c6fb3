import Foundation
import Hummingbird
import GreenlightCore
import GreenlightWork

/// `GET /api/v1/outcomes?client=&from=&to=`: "what converts" as JSON — the reply, positive reply,
/// bounce and unsubscribe rates of the emails sent in the range, overall and by every breakdown,
/// with the same callers and visibility as `GET /api/v1/analytics` (an SDR's session gets the emails
/// they approved themselves).
struct OutcomesAPIController {
    let database: Database
    let clock: TimeSource

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/api/v1/outcomes", use: show)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireReviewer()
        let scope = try await FiguresScope.of(request, context: context, database: database, clock: clock)
        let figures = try await OutcomeFigures.read(database, range: scope.range, clientIDs: scope.clientIDs, reviewerID: scope.reviewerID)
        return try JSONAnswer.make(APIOutcomes(figures, range: scope.range))
    }
}
