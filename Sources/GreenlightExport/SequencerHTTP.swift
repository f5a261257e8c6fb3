import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import GreenlightCore

/// JSON over HTTP for the sequencer clients: every call bounded by the policy's timeout, 429 and 5xx
/// answers retried with exponential backoff and jitter honouring `Retry-After`, and statuses turned
/// into ``SequencerError``s. Reads are also retried after a timeout or a lost connection; writes are
/// not (the sequencer may have done them: the export ledger asks it what it holds instead), except on
/// 429 and 503, which say the request was not processed.
struct SequencerHTTP: Sendable {
    typealias Sleep = @Sendable (Duration) async throws -> Void

    let httpClient: HTTPClient
    let policy: RetryPolicy
    let sleep: Sleep
    /// The vendor's name, for messages.
    let vendor: String

    /// The most of an error answer kept for a message.
    static let keptErrorCharacters = 300

    enum Kind {
        case read
        case write
    }

    /// Sends the request and returns the answer's JSON object (an empty object for an empty body).
    func call(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], json: Any? = nil, kind: Kind) async throws(SequencerError)
        -> [String: Any]
    {
        let answer = try await value(method, url, headers: headers, json: json, kind: kind)
        guard let object = answer as? [String: Any] else { throw .unavailable("\(vendor) answered with JSON that is not an object") }
        return object
    }

    /// Sends the request and returns the answer's JSON array of objects (an empty one for an empty body).
    func callList(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], json: Any? = nil, kind: Kind) async throws(SequencerError)
        -> [[String: Any]]
    {
        let answer = try await value(method, url, headers: headers, json: json, kind: kind)
        if let object = answer as? [String: Any], object.isEmpty { return [] }
        guard let list = answer as? [[String: Any]] else { throw .unavailable("\(vendor) answered with JSON that is not a list") }
        return list
    }

    /// Sends the request and returns the answer's JSON (an empty object for an empty body).
    private func value(_ method: HTTPMethod, _ url: String, headers: [(String, String)], json: Any?, kind: Kind) async throws(SequencerError) -> Any {
        var attempt = 0
        while true {
            attempt += 1
            let outcome = await once(method, url, headers: headers, json: json)
            switch outcome {
            case .answer(let status, let body, let retryAfter):
                if (200..<300).contains(status) {
                    guard !body.isEmpty else { return [String: Any]() }
                    guard let value = try? JSONSerialization.jsonObject(with: body) else {
                        throw .unavailable("\(vendor) answered \(status) with a body that is not JSON")
                    }
                    return value
                }
                let said = Self.message(body)
                switch status {
                case 401: throw .refusedKey(said)
                case 402: throw .unpaid(said)
                case 403: throw .forbidden(said)
                case 429, 500...599:
                    let retryable = kind == .read || status == 429 || status == 503
                    let reason = "\(vendor) answered \(status)\(said.isEmpty ? "" : ": \(said)")"
                    guard retryable else { throw .unavailable(attempt > 1 ? "\(reason) (after \(attempt) attempts)" : reason) }
                    if let stop = await policy.waitBeforeRetry(attempt, retryAfter: retryAfter, sleep: sleep) {
                        throw Self.stopped(stop, reason, attempt)
                    }
                default:
                    throw .rejected(status: status, message: said.isEmpty ? "no explanation given" : said)
                }
            case .failed(let reason, _):
                // A write that may have arrived is not sent again (the ledger checks it instead).
                guard kind == .read else { throw .unavailable(reason) }
                if let stop = await policy.waitBeforeRetry(attempt, retryAfter: nil, sleep: sleep) {
                    throw stop == .cancelled ? Self.stopped(stop, reason, attempt) : .unavailable(reason)
                }
            }
        }
    }

    /// The error of a call not tried again.
    static func stopped(_ stop: RetryStop, _ reason: String, _ attempt: Int) -> SequencerError {
        stop == .cancelled
            ? .unavailable("\(reason); cancelled while waiting to try again")
            : .unavailable(attempt > 1 ? "\(reason) (after \(attempt) attempts)" : reason)
    }

    /// One call, bounded by the policy's timeout.
    private func once(_ method: HTTPMethod, _ url: String, headers: [(String, String)], json: Any?) async -> HTTPExchange.Outcome {
        var body: Data?
        if let json {
            guard let data = try? JSONSerialization.data(withJSONObject: json) else {
                return .failed("the request could not be encoded as JSON", mayHaveArrived: false)
            }
            body = data
        }
        return await HTTPExchange(httpClient: httpClient, timeout: policy.timeout, vendor: vendor).send(method, url, headers: headers, json: body)
    }

    /// The `message` (or `error`) of a JSON error answer, else the start of the body, on one line.
    static func message(_ body: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            for key in ["message", "error", "detail"] {
                if let text = object[key] as? String { return ErrorText.oneLine(text, limit: keptErrorCharacters) }
            }
        }
        return ErrorText.oneLine(String(decoding: body, as: UTF8.self), limit: keptErrorCharacters)
    }
}
