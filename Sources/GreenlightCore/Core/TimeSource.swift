import Foundation
import Synchronization

/// Where a component reads "now" (milliseconds since 1970): the system clock in the app, a clock a
/// test moves by hand in tests — so expiry, throttling and leases are tested without sleeping.
public struct TimeSource: Sendable {
    private let read: @Sendable () -> Int

    public init(_ read: @escaping @Sendable () -> Int) {
        self.read = read
    }

    /// The system clock.
    public static let system = TimeSource { Clock.nowMillis() }

    /// Now, in milliseconds since 1970.
    public func nowMillis() -> Int {
        read()
    }
}

/// A clock that stands still until told to move: for tests of anything that expires.
public final class ManualClock: Sendable {
    private let now: Mutex<Int>

    public init(startingAt millis: Int = Clock.nowMillis()) {
        now = Mutex(millis)
    }

    public var nowMillis: Int { now.withLock { $0 } }

    /// Moves the clock forward.
    public func advance(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        now.withLock { $0 += Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000) }
    }

    /// The ``TimeSource`` reading this clock.
    public var source: TimeSource {
        TimeSource { [self] in self.nowMillis }
    }
}
