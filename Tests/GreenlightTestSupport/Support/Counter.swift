import Synchronization

/// A counter tests share across tasks: each `next()` returns one more.
package final class Counter: Sendable {
    private let value = Mutex(0)

    package init() {}

    package func next() -> Int {
        value.withLock {
            $0 += 1
            return $0
        }
    }
}
