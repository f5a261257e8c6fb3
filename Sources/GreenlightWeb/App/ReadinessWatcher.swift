import ServiceLifecycle

/// A service that waits for the app's graceful shutdown and marks the instance not ready as soon as
/// it begins (``ReadinessState``).
struct ReadinessWatcher: Service {
    let readiness: ReadinessState

    func run() async throws {
        // Returns when the graceful shutdown begins (or throws when the task is cancelled first).
        try? await gracefulShutdown()
        readiness.stopping()
    }
}
