import Foundation
import Synchronization

/// Where a component reads "now" (milliseconds since 1970): the system clock in the app, a clock a
/// test moves by hand in tests — so expiry, throttling and leases are tested without sleeping.
public struct TimeSource: Sendable {
    private let read: @Sendable () -> Int

    public init(_ read: @escaping @Sendable () -> Int) {
        self.read = read
    }

    /// The system clock: the one place Greenlight reads the wall clock. The app builds it once
    /// (``AppConfiguration``'s clock) and hands it to every type that asks the time; the command line
    /// uses it directly.
    public static let system = TimeSource { Clock.millis(from: Date()) }

    /// Now, in milliseconds since 1970.
    public func nowMillis() -> Int {
        read()
    }
}

/// A clock that stands still until told to move: for tests of anything that expires.
public final class ManualClock: Sendable {
    private let now: Mutex<Int>

    public init(startingAt millis: Int = TimeSource.system.nowMillis()) {
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
