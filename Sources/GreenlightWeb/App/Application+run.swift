public import Hummingbird
import UnixSignals

extension ApplicationProtocol {
    /// Serves until SIGINT or SIGTERM, then shuts down in order (requests finish, connections close).
    public func runUntilSignalled() async throws {
        try await runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}
