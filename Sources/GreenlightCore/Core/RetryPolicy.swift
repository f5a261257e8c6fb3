/// How long an outbound HTTP call (Slack, a sequencer) may take, how often it is tried again, and
/// how long the caller waits in between.
///
/// Only answers that say "not now" are retried: 429 (rate limited) and 5xx. A timeout or a
/// connection error on a write is not, because the other side may already have done it (a second
/// Slack post shows twice; a sequencer write is checked against the export ledger instead). Between
/// tries the wait doubles (exponential backoff) with random jitter, and is never shorter than a
/// `Retry-After` the server sent.
public struct RetryPolicy: Sendable, Equatable {
    /// The longest one HTTP call may take, answer and body included (default 5 s).
    public var timeout: Duration
    /// How many times a failed call is tried again (default 2, so at most 3 calls).
    public var maxRetries: Int
    /// The backoff before the first retry; it doubles for each later one (default 1 s).
    public var baseDelay: Duration
    /// The longest wait between two tries; a `Retry-After` longer than this is not waited for:
    /// the call fails instead of holding its caller (default 30 s).
    public var maxDelay: Duration

    public init(timeout: Duration = .seconds(5), maxRetries: Int = 2, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(30)) {
        self.timeout = timeout
        self.maxRetries = max(0, maxRetries)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait before retry number `retry` (1 for the first retry), or `nil` when Slack asked for a
    /// longer wait than ``maxDelay``.
    ///
    /// The backoff is `baseDelay · 2^(retry − 1)`, capped at `maxDelay`. Without `Retry-After` the
    /// wait is between half the backoff and the whole of it ("equal jitter": never a burst of
    /// immediate retries); with it, the wait is `Retry-After` plus up to half the backoff, so callers
    /// told the same time do not all come back at once. `random` is in `0..<1`.
    public func delay(beforeRetry retry: Int, retryAfter: Duration?, random: Double) -> Duration? {
        let doublings = min(max(retry - 1, 0), 30)
        let backoff = min(baseDelay * (1 << doublings), maxDelay)
        let jitter = backoff * (0.5 * min(max(random, 0), 1))
        guard let retryAfter else { return backoff / 2 + jitter }
        guard retryAfter <= maxDelay else { return nil }
        return max(retryAfter, .zero) + jitter
    }
}

/// Why an outbound call is not tried again after a failed try.
public enum RetryStop: Sendable, Equatable {
    /// Every retry the policy allows was used.
    case spent
    /// The server asked for a longer wait (`Retry-After`) than the policy's ``RetryPolicy/maxDelay``.
    case waitTooLong
    /// The task was cancelled while it waited.
    case cancelled
}

extension RetryPolicy {
    /// The one wait between tries of every outbound client (Slack, sequencers, the model): after a
    /// failed try, retry number `retry` (from 1) waits as ``delay(beforeRetry:retryAfter:random:)``
    /// says and returns nil — try again —, or returns why not. Each client keeps only its own mapping
    /// of answers to "retry" or "fail", and its words for the stop.
    public func waitBeforeRetry(_ retry: Int, retryAfter: Duration?, sleep: @Sendable (Duration) async throws -> Void) async -> RetryStop? {
        guard retry <= maxRetries else { return .spent }
        guard let wait = delay(beforeRetry: retry, retryAfter: retryAfter, random: Double.random(in: 0..<1)) else { return .waitTooLong }
        do {
            try await sleep(wait)
            return nil
        } catch {
            return .cancelled
        }
    }
}
