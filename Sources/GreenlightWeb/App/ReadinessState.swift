import Synchronization

/// Whether this instance takes traffic, for `GET /ready`: starting until its HTTP server runs, ready
/// while it serves, stopping once a graceful shutdown has begun (a load balancer or proxy then sends
/// new requests to the other instances while this one finishes what it holds).
public final class ReadinessState: Sendable {
    /// Where the instance is in its life.
    public enum Stage: String, Sendable {
        case starting, ready, stopping
    }

    private let current: Mutex<Stage>

    public init(_ stage: Stage = .starting) {
        current = Mutex(stage)
    }

    public var stage: Stage { current.withLock { $0 } }

    /// The server runs: ready, unless a shutdown began first.
    public func serving() {
        current.withLock { if $0 == .starting { $0 = .ready } }
    }

    /// A graceful shutdown began: not ready from now on.
    public func stopping() {
        current.withLock { $0 = .stopping }
    }
}
