import Logging
import Foundation
import Hummingbird
import NIOCore
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport

/// The review queue: the list, one email's page, and the approve / edit / reject / bulk / claim / undo actions.
///
/// Every action works as a plain form post (redirecting back to the queue) and, when the browser asks
/// for JSON, as a JSON call from `Public/js/review.js`.
struct ReviewController {
    let views: ViewRenderer
    let database: Database
    let decisions: GuardedDecider
    /// Where "now" is read: when a card is shown, when a claim starts, what "today" is.
    let clock: TimeSource
    /// The queue's rendered cards, reused while their emails stay the same.
    let cards = CardCache()
    /// Set only when benchmarking: remembers the queue page for `/bench/ceiling`.
    let ceiling: BenchCeiling?

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/", use: { _, _ in Response.redirect(to: "/review", type: .normal) })
        router.get("/review", use: queue)
        router.post("/review/bulk", use: bulk)
        router.get("/review/:id", use: show)
        router.post("/review/:id/approve", use: approve)
        router.post("/review/:id/edit", use: edit)
        router.post("/review/:id/reject", use: reject)
        router.post("/review/:id/claim", use: claim)
        router.post("/review/:id/release", use: release)
        router.post("/review/:id/undo", use: undo)
    }

    /// The email a plain form just decided: the queue's next page offers to undo it.
    static let undoCookie = "greenlight_undo"

    @Sendable func queue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let parameters = QueryString.parameters(request.uri.query ?? "")
        var filterError: String?
        var filter = QueueFilter()
        var cursor: QueueCursor?
        do {
            filter = try QueueFilter(parameters: parameters)
            cursor = try parameters["after"].flatMap { $0.isEmpty ? nil : try QueueCursor(token: $0) }
        } catch let error as InputError {
            filterError = error.message
        }
        let view = try await QueueView.read(
            database, clock: clock, filter: filter, after: cursor, clientIDs: context.visibleClientIDs, viewerID: user.id)
        let csrf = context.session?.csrfToken ?? ""
        let returnTo = request.uri.string
        let flash = Flash.read(request)
        let undoID = request.cookies[Self.undoCookie].flatMap { Int($0.value) }
        let chrome = PageChrome(
            title: "Review queue", context: context, notice: filterError, noticeIsError: filterError != nil, section: .init(review: true))
        let model = QueuePage(
            view, chrome: chrome, flash: flash, undoID: undoID, cardsSlot: cards.slot, returnTo: returnTo, csrf: csrf, filterError: filterError)
        let html = try cards.write(
            view.page.records, viewerID: user.id, page: .init(csrf: csrf, shownAt: clock.nowMillis(), returnTo: returnTo),
            around: try views.render("review/queue", model)
        ) { try views.render("review/card", $0) }
        ceiling?.store(html, userID: user.id)
        var response = ViewRenderer.html(html, status: filterError == nil ? .ok : .badRequest)
        if flash != nil {
            response.setCookie(Cookie(name: Flash.cookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax))
        }
        if undoID != nil {
            response.setCookie(Cookie(name: Self.undoCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax))
        }
        return response
    }

    /// One email's page. Opening it claims the email for a short lease when it awaits review.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let id = try Self.emailID(context)
        let emails = EmailRepository(database: database, clock: clock)
        guard var email = try await emails.summary(id: id, clientIDs: context.visibleClientIDs) else { throw NotFound("email \(id)") }
        var notice: String?
        var isError = false
        if email.status.isAwaitingReview {
            do {
                try await ClaimStore(database: database).claim(emailID: id, by: user.reviewer, now: clock.nowMillis())
                email.claimedByID = user.id
                email.claimedByName = user.name
            } catch let conflict as ReviewConflict {
                notice = conflict.description.prefix(1).uppercased() + conflict.description.dropFirst()
                isError = true
            }
        }
        // What the action that led here said (undo, taken out of a CSV file).
        if notice == nil { notice = Flash.read(request) }
        let history = try await emails.history(emailID: id)
        let inFile = email.status.isAwaitingReview ? nil : try await CSVExport(database: database).fileHolding(emailID: id)
        let returnTo = QueueURL.safeReturn(request.uri.queryParameters.get("return_to"))
        var card = CardView(email, viewerID: user.id, csrf: context.session?.csrfToken ?? "", returnTo: returnTo, full: true, now: clock.nowMillis())
        card.editing = request.uri.queryParameters.get("edit") == "1"
        let model = EmailPage(
            page: PageChrome(
                title: "\(email.companyName) — \(email.contactName)", context: context, notice: notice, noticeIsError: isError,
                section: .init(review: true)),
            card: card,
            history: history.map(EmailPage.HistoryEntry.init),
            hasHistory: !history.isEmpty,
            canUndo: (user.role.permissions.contains(.undo) || email.reviewerID == user.id) && !email.status.isAwaitingReview && email.status != .sent
                && inFile == nil,
            inFile: inFile,
            canTakeOut: user.role.permissions.contains(.manageRollout),
            returnTo: returnTo
        )
        return Flash.clearing(try views.response("review/email", model), request)
    }

    struct DecisionForm: Decodable {
        var shown_at: String?
        var return_to: String?
        var body: String?
        var subject: String?
        var reason: String?
        var details: String?
    }

    @Sendable func approve(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(request, context) { _ in .approve }
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(request, context) { form in .edit(body: form.body ?? "", subject: form.subject) }
    }

    @Sendable func reject(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(request, context) { form in
            .reject(reason: try Self.reason(form.reason), details: form.details)
        }
    }

    private func act(_ request: Request, _ context: AppRequestContext, decision: (DecisionForm) throws -> ReviewDecision) async throws -> Response {
        let user = try context.requireUser()
        let id = try Self.emailID(context)
        let form = try await RequestBodyReader.form(DecisionForm.self, request, context: context)
        let outcome = try await decisions.decide(
            try decision(form), emailID: id, by: user.reviewer, shownAt: form.shown_at.flatMap(Int.init), clientIDs: context.visibleClientIDs)
        if ErrorMiddleware.wantsJSON(request) {
            return try JSONAnswer.make(APIEmailDecision(id: outcome.emailID, status: outcome.status.rawValue, review_ms: outcome.reviewMilliseconds))
        }
        var response = Flash.redirect(to: QueueURL.safeReturn(form.return_to), notice: "Email #\(id) \(outcome.status.label).")
        response.setCookie(Cookie(name: Self.undoCookie, value: String(id), path: "/", httpOnly: true, sameSite: .lax))
        return response
    }

    struct BulkForm: Decodable {
        var ids: [String]?
        var action: String?
        var reason: String?
        var details: String?
        var return_to: String?
        var shown_at: String?
    }

    @Sendable func bulk(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await RequestBodyReader.form(BulkForm.self, request, context: context)
        let ids = (form.ids ?? []).compactMap { Int($0) }
        guard !ids.isEmpty else { throw InputError(field: "ids", "select at least one email") }
        guard ids.count <= 200 else { throw InputError(field: "ids", "select at most 200 emails at once") }
        let decision: ReviewDecision
        switch form.action {
        case "approve": decision = .approve
        case "reject": decision = .reject(reason: try Self.reason(form.reason), details: form.details)
        default: throw InputError(field: "action", "choose approve or reject")
        }
        let decider = decisions
        var results: [BulkResult] = []
        for id in ids {
            do {
                let outcome = try await decider.decide(
                    decision, emailID: id, by: user.reviewer, shownAt: form.shown_at.flatMap(Int.init), clientIDs: context.visibleClientIDs)
                results.append(BulkResult(id: id, status: outcome.status.rawValue, problem: nil))
            } catch let conflict as ReviewConflict {
                results.append(BulkResult(id: id, status: nil, problem: conflict.description))
            } catch is NotFound {
                results.append(BulkResult(id: id, status: nil, problem: "not found"))
            } catch {
                // One email's failure must not hide what happened to the others (earlier ones are committed).
                context.logger.error("bulk decision on email \(id) failed: \(String(reflecting: error))")
                results.append(BulkResult(id: id, status: nil, problem: "could not be saved (logged); try it again"))
            }
        }
        let done = results.filter { $0.status != nil }.count
        let problems = results.compactMap { result in result.problem.map { "#\(result.id) \($0)" } }
        let verb = form.action == "approve" ? "Approved" : "Rejected"
        var notice = "\(verb) \(done) email\(done == 1 ? "" : "s")."
        if !problems.isEmpty { notice += " Skipped \(problems.count): " + problems.joined(separator: "; ") + "." }
        if ErrorMiddleware.wantsJSON(request) {
            return try JSONAnswer.make(BulkAnswer(done: done, message: notice, results: results))
        }
        return Flash.redirect(to: QueueURL.safeReturn(form.return_to), notice: notice)
    }

    /// What a bulk action did to one email: its new status, or why it was skipped.
    struct BulkResult: Encodable {
        var id: Int
        var status: String?
        var problem: String?
    }

    /// The JSON answer of a bulk action: a count, the sentence the page shows, and one result per email.
    struct BulkAnswer: Encodable {
        var done: Int
        var message: String
        var results: [BulkResult]
    }

    @Sendable func claim(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let id = try Self.emailID(context)
        guard try await EmailRepository(database: database, clock: clock).summary(id: id, clientIDs: context.visibleClientIDs) != nil else {
            throw NotFound("email \(id)")
        }
        let expires = try await ClaimStore(database: database).claim(emailID: id, by: user.reviewer, now: clock.nowMillis())
        return try JSONAnswer.make(["id": id, "expires_at": expires])
    }

    @Sendable func release(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let id = try Self.emailID(context)
        try await ClaimStore(database: database).release(emailID: id, by: user.reviewer)
        if ErrorMiddleware.wantsJSON(request) { return try JSONAnswer.make(["id": id]) }
        return .redirect(to: "/review", type: .normal)
    }

    struct UndoForm: Decodable {
        var return_to: String?
    }

    /// Puts a decided email back in the queue: a manager's undo of anyone's decision, or a reviewer's
    /// of their own, until the email is exported. Back to the page it came from (the queue's "Undo"),
    /// or to the email's page.
    @Sendable func undo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let id = try Self.emailID(context)
        let form = try await RequestBodyReader.form(UndoForm.self, request, context: context)
        let outcome = try await ReviewDecider(database: database, clock: clock).undo(
            emailID: id, by: user.reviewer, clientIDs: context.visibleClientIDs, onlyOwn: !user.role.permissions.contains(.undo))
        try await AuditLog(database: database, clock: clock).record(
            userID: user.id, action: "undo", target: "email \(id)", details: "back to \(outcome.status.rawValue)")
        if ErrorMiddleware.wantsJSON(request) {
            return try JSONAnswer.make(APIEmailDecision(id: outcome.emailID, status: outcome.status.rawValue, review_ms: nil))
        }
        let back = form.return_to.map { QueueURL.safeReturn($0) } ?? "/review/\(id)"
        return Flash.redirect(to: back, notice: "Email #\(id) is back in the queue, awaiting review.")
    }

    static func emailID(_ context: AppRequestContext) throws -> Int {
        guard let text = context.parameters.get("id"), let id = Int(text), id > 0 else { throw NotFound("that email") }
        return id
    }

    static func reason(_ text: String?) throws(InputError) -> RejectionReason {
        guard let text, !text.isEmpty else { throw InputError(field: "reason", "choose a rejection reason") }
        if let number = Int(text), let reason = RejectionReason.allCases.first(where: { $0.key == number }) { return reason }
        guard let reason = RejectionReason(rawValue: text) else {
            throw InputError(
                field: "reason",
                "\"\(text)\" is not a rejection reason; use one of \(RejectionReason.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return reason
    }

}
