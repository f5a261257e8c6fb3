import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Posts messages to a Slack incoming webhook: rollout demotions, export results, drafting runs.
///
/// Sending never throws: it returns a ``SlackDelivery`` and logs a failure, because a notification
/// that cannot go out must not stop the work it reports on. Each call has a timeout
/// (``RetryPolicy/timeout``, answer and body included); a 429 or 5xx answer is tried again at
/// most ``RetryPolicy/maxRetries`` times, after a backoff with jitter that honours `Retry-After`.
///
/// The webhook URL is a secret (its path holds the token), so it is never logged and never part of
/// a failure reason; AsyncHTTPClient is not handed our logger either, because at trace level it logs
/// request heads, path included. Only `http://` and `https://` URLs are accepted.
///
/// Safe to share between tasks; it holds no state of its own.
public struct SlackNotifier: Sendable {
    /// Waits between two tries; tests pass one that records the wait and returns at once.
    public typealias Sleep = @Sendable (Duration) async throws -> Void

    /// The most of an answer's body kept for a failure reason; Slack's are a word or two. The rest
    /// is read and dropped. The reason is cut to `reasonCharacters` only after the URL is redacted,
    /// so a cut can never leave part of the token behind.
    static let keptBytes = 4096
    static let reasonCharacters = 300

    let httpClient: HTTPClient
    let policy: RetryPolicy
    let logger: Logger
    let sleep: Sleep

    /// - Parameters:
    ///   - httpClient: the client to post with; the process-wide `HTTPClient.shared` unless a test
    ///     or the app wants its own.
    ///   - policy: timeout, retries and backoff.
    ///   - logger: where failures (warning) and deliveries (debug) are logged, never with the URL.
    ///   - sleep: how to wait between tries; `Task.sleep` unless a test records the waits instead.
    public init(
        httpClient: HTTPClient = .shared,
        policy: RetryPolicy = RetryPolicy(),
        logger: Logger,
        sleep: @escaping Sleep = { try await Task.sleep(for: $0) }
    ) {
        self.httpClient = httpClient
        self.policy = policy
        self.logger = logger
        self.sleep = sleep
    }

    /// Posts `{"text": text}` to `webhookURL`.
    public func send(_ text: String, to webhookURL: String) async -> SlackDelivery {
        await send(SlackMessage(text), to: webhookURL)
    }

    /// Posts `message` as JSON to `webhookURL`, trying again on 429 and 5xx as the policy allows.
    public func send(_ message: SlackMessage, to webhookURL: String) async -> SlackDelivery {
        guard let url = URL(string: webhookURL), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else {
            return failed("the Slack webhook is not an http:// or https:// URL", attempts: 0)
        }
        let body: Data
        do {
            body = try JSONEncoder().encode(message)
        } catch {
            return failed("the message could not be encoded as JSON: \(error)", attempts: 0)
        }
        var request = HTTPClientRequest(url: webhookURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "text/plain")
        request.body = .bytes(ByteBuffer(bytes: body))

        let redactor = WebhookRedactor(webhookURL: webhookURL, url: url)
        var attempt = 0
        while true {
            attempt += 1
            switch await call(request) {
            case .delivered:
                logger.debug("Slack notification delivered", metadata: ["attempts": "\(attempt)"])
                return .delivered
            case .final(let reason):
                return failed(ErrorText.oneLine(redactor.redact(reason), limit: Self.reasonCharacters), attempts: attempt)
            case .retryable(let reason, let retryAfter):
                let reason = ErrorText.oneLine(redactor.redact(reason), limit: Self.reasonCharacters)
                logger.info("Slack notification will be retried", metadata: ["reason": "\(reason)", "attempt": "\(attempt)"])
                switch await policy.waitBeforeRetry(attempt, retryAfter: retryAfter, sleep: sleep) {
                case nil: continue
                case .spent: return failed("\(reason) (gave up after \(attempt) attempts)", attempts: attempt)
                case .waitTooLong:
                    return failed("\(reason), and asked to wait longer than \(DurationText.describe(policy.maxDelay))", attempts: attempt)
                case .cancelled: return failed("\(reason); cancelled while waiting to try again", attempts: attempt)
                }
            }
        }
    }

    /// What one HTTP call came to.
    private enum CallResult: Sendable {
        case delivered
        case retryable(String, retryAfter: Duration?)
        case final(String)
    }

    /// The parts of Slack's answer the notifier looks at.
    private struct Answer: Sendable {
        var status: HTTPResponseStatus
        var retryAfter: String?
        var body: String
    }

    /// One POST, bounded by the policy's timeout from sending to the body's last byte. The deadline
    /// given to AsyncHTTPClient only covers waiting for the response head, so a timer races the call.
    private func call(_ request: HTTPClientRequest) async -> CallResult {
        let timeout = policy.timeout
        let client = httpClient
        let answer: Answer?
        do {
            answer = try await withThrowingTaskGroup(of: Answer?.self) { group in
                group.addTask {
                    let response = try await client.execute(request, deadline: .now() + TimeAmount(timeout))
                    var kept = ByteBuffer()
                    for try await chunk in response.body where kept.readableBytes < Self.keptBytes {
                        var chunk = chunk
                        if let slice = chunk.readSlice(length: min(chunk.readableBytes, Self.keptBytes - kept.readableBytes)) {
                            kept.writeImmutableBuffer(slice)
                        }
                    }
                    return Answer(status: response.status, retryAfter: response.headers.first(name: "Retry-After"), body: String(buffer: kept))
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            answer = nil
        } catch {
            if Task.isCancelled { return .final("cancelled before Slack answered") }
            return .final("could not reach Slack: \(error)")
        }
        guard let answer else {
            return .final("Slack did not answer within \(DurationText.describe(timeout))")
        }
        let code = answer.status.code
        if (200..<300).contains(code) { return .delivered }
        let said = answer.body.trimmingCharacters(in: .whitespacesAndNewlines)
        let reason = "Slack answered \(code)" + (said.isEmpty ? "" : ": \(said)")
        if code == 429 || (500..<600).contains(code) {
            return .retryable(reason, retryAfter: DurationText.retryAfter(answer.retryAfter))
        }
        return .final(reason)
    }

    private func failed(_ reason: String, attempts: Int) -> SlackDelivery {
        logger.warning("Slack notification failed", metadata: ["reason": "\(reason)", "attempts": "\(attempts)"])
        return .failed(reason: reason)
    }
}
