import Foundation
import Hummingbird
import GreenlightCore
import GreenlightWork
import GreenlightExport

/// How any error becomes an answer: one status, code and message for the page and the API alike.
struct ErrorAnswer: Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String

    init(_ error: any Error) {
        switch error {
        case let error as AppError:
            switch error {
            case .unauthenticated: self.init(.unauthorized, "unauthenticated", "log in first, or send an API key as Authorization: Bearer …")
            case .forbidden(let message): self.init(.forbidden, "forbidden", message)
            case .csrf:
                self.init(
                    .forbidden, "csrf", "the form's security token is missing or out of date: reload the page and try again (nothing was changed)")
            case .tooLarge(let limit):
                let allowed = limit >= 1_048_576 ? "\(limit / 1_048_576) MB" : "\(limit / 1024) KB"
                self.init(.contentTooLarge, "too_large", "the request body is larger than the \(allowed) allowed")
            case .badRequest(let message): self.init(.badRequest, "bad_request", message)
            }
        case let error as InputError: self.init(.unprocessableContent, "invalid", error.message)
        case let error as ImportError: self.init(.unprocessableContent, "invalid", error.message)
        case let error as OutcomeDelivery.Refused: self.init(.badRequest, "bad_request", "this is not a webhook delivery Greenlight reads: \(error)")
        case let error as NotFound: self.init(.notFound, "not_found", error.description)
        case let error as ReviewConflict: self.init(.conflict, "conflict", error.description)
        case let error as ExportBusy: self.init(.conflict, "busy", error.description)
        case let error as HTTPError:
            self.init(
                error.status, error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_"), error.body ?? error.status.reasonPhrase
            )
        default: self.init(.internalServerError, "internal", "something went wrong on our side; it has been logged")
        }
    }

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }
}
