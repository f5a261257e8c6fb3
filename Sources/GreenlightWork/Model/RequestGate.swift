/// Keeps one app instance's model calls within the configured limits: at most `concurrency` requests
/// in flight, and starts within `requestsPerMinute` — a token bucket refilled at that rate, holding at
/// most `concurrency` starts, so a burst never exceeds what may run at once and the minute's rate
/// holds over any longer stretch. Every attempt (a retry too) passes through it. Several instances
/// each keep their own limits: give each its share of the provider's.
actor RequestGate {
    let concurrency: Int
    /// Starts allowed per second.
    let rate: Double
    private var inFlight = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// Starts in the bucket as of `updated` (negative: starts already promised to waiting callers).
    private var tokens: Double
    private var updated: Duration?
    private let now: @Sendable () -> Duration
    private let sleep: @Sendable (Duration) async throws -> Void

    /// - Parameters:
    ///   - now: time elapsed since any fixed point (tests pass a manual clock's).
    ///   - sleep: how a caller waits for its start.
    init(
        concurrency: Int, requestsPerMinute: Int,
        now: @escaping @Sendable () -> Duration = { ContinuousClock.now - RequestGate.origin },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.concurrency = max(1, concurrency)
        self.rate = Double(max(1, requestsPerMinute)) / 60
        self.tokens = Double(max(1, concurrency))
        self.now = now
        self.sleep = sleep
    }

    static let origin = ContinuousClock.now

    /// Callers waiting for a slot.
    var queued: Int { waiters.count }

    /// Runs `body` once a slot is free and its start is due.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        await enter()
        defer { leave() }
        let wait = reserve()
        if wait > .zero { try? await sleep(wait) }
        return try await body()
    }

    /// Takes a start from the bucket and says how long until it is due (zero: now).
    func reserve() -> Duration {
        let current = now()
        if let updated {
            let elapsed = Double((current - updated).components.attoseconds) / 1e18 + Double((current - updated).components.seconds)
            tokens = min(Double(concurrency), tokens + max(0, elapsed) * rate)
        }
        updated = current
        tokens -= 1
        guard tokens < 0 else { return .zero }
        return .milliseconds(Int((-tokens / rate * 1000).rounded(.up)))
    }

    private func enter() async {
        if inFlight < concurrency {
            inFlight += 1
            return
        }
        // The slot is handed over by `leave`, which keeps `inFlight` as it is.
        await withCheckedContinuation { waiters.append($0) }
    }

    private func leave() {
        if waiters.isEmpty {
            inFlight -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
