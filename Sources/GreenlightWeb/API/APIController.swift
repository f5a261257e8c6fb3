import Foundation
import Hummingbird
import GreenlightCore
import GreenlightWork
import GreenlightEmails

/// The JSON API for scripts (Make, Clay, n8n): list emails in queue order, read one, decide.
/// Callers authenticate with a session cookie (plus `X-CSRF-Token` to change anything) or an API key.
struct APIController {
    let database: Database
    let decisions: GuardedDecider
    let clock: TimeSource

    func addRoutes(to router: Router<AppRequestContext>) {
        let api = router.group("api/v1")
        api.get("emails", use: list)
        api.get("emails/:id", use: detail)
        api.post("emails/:id/approve", use: approve)
        api.post("emails/:id/edit", use: edit)
        api.post("emails/:id/reject", use: reject)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireReviewer()
        let parameters = QueryString.parameters(request.uri.query ?? "")
        let filter = try QueueFilter(parameters: parameters)
        let cursor = try parameters["after"].flatMap { $0.isEmpty ? nil : try QueueCursor(token: $0) }
        var limit = ReviewQueue.pageSize
        if let text = parameters["limit"], !text.isEmpty {
            guard let value = Int(text), (1...200).contains(value) else {
                throw InputError(field: "limit", "limit must be a whole number from 1 to 200, got \"\(text)\"")
            }
            limit = value
        }
        let page = try await ReviewQueue(database: database, clock: clock).page(
            filter, after: cursor, limit: limit, clientIDs: context.visibleClientIDs)
        return try JSONAnswer.make(APIEmailList(emails: page.emails.map { APIEmailSummary($0, blind: context.user != nil) }, next: page.next?.token))
    }

    @Sendable func detail(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireReviewer()
        let id = try ReviewController.emailID(context)
        let emails = EmailRepository(database: database, clock: clock)
        guard let email = try await emails.summary(id: id, clientIDs: context.visibleClientIDs) else { throw NotFound("email \(id)") }
        return try JSONAnswer.make(APIEmailDetail(email, history: try await emails.history(emailID: id), blind: context.user != nil))
    }

    struct EditBody: Decodable {
        var body: String?
        var subject: String?
    }

    struct RejectBody: Decodable {
        var reason: String?
        var details: String?
    }

    @Sendable func approve(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await decide(.approve, context)
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await RequestBodyReader.json(EditBody.self, request, context: context)
        guard let text = body.body else { throw InputError(field: "body", "\"body\" is required: the edited email text") }
        return try await decide(.edit(body: text, subject: body.subject), context)
    }

    @Sendable func reject(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await RequestBodyReader.json(RejectBody.self, request, context: context)
        return try await decide(.reject(reason: try ReviewController.reason(body.reason), details: body.details), context)
    }

    private func decide(_ decision: ReviewDecision, _ context: AppRequestContext) async throws -> Response {
        let reviewer = try context.requireReviewer()
        let id = try ReviewController.emailID(context)
        let outcome = try await decisions.decide(decision, emailID: id, by: reviewer, clientIDs: context.visibleClientIDs)
        return try JSONAnswer.make(APIEmailDecision(id: outcome.emailID, status: outcome.status.rawValue, review_ms: outcome.reviewMilliseconds))
    }
}
