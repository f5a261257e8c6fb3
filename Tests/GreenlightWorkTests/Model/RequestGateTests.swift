import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Synchronization
import Testing
import GreenlightTestSupport

/// The model's limits: at most `concurrency` requests in flight (the rest wait their turn, first come
/// first served), and starts within the requests per minute — a bucket of `concurrency` starts
/// refilled at that rate (time from a manual clock); a client's calls go through it.
@Suite("Model request limits", .timeLimit(.minutes(15)))
struct RequestGateTests {
    @Test("starts beyond the bucket wait their share of the minute; an idle stretch refills it, never beyond the concurrency")
    func rate() async {
        let clock = ManualClock()
        let gate = RequestGate(concurrency: 4, requestsPerMinute: 60, now: { .milliseconds(clock.nowMillis) })
        var waits: [Duration] = []
        for _ in 0..<6 { waits.append(await gate.reserve()) }
        #expect(waits == [.zero, .zero, .zero, .zero, .seconds(1), .seconds(2)])
        clock.advance(by: .seconds(10))
        waits = []
        for _ in 0..<5 { waits.append(await gate.reserve()) }
        #expect(waits == [.zero, .zero, .zero, .zero, .seconds(1)], "ten idle seconds refill four starts, not ten")
        clock.advance(by: .milliseconds(500))
        #expect(await gate.reserve() == .milliseconds(1_500))
    }

    /// Bodies that hold until released, counting how many run.
    final class Holder: Sendable {
        let running = Mutex(0)
        let most = Mutex(0)
        let held = Mutex<[CheckedContinuation<Void, Never>]>([])
        let finished = Mutex(0)

        func body() async {
            running.withLock { value in
                value += 1
                most.withLock { $0 = max($0, value) }
            }
            await withCheckedContinuation { continuation in held.withLock { $0.append(continuation) } }
            running.withLock { $0 -= 1 }
            finished.withLock { $0 += 1 }
        }

        func releaseOne() { held.withLock { $0.isEmpty ? nil : $0.removeFirst() }?.resume() }
        var waitingBodies: Int { held.withLock { $0.count } }
    }

    @Test("no more than the concurrency in flight; a finished call lets the next waiting one in", .timeLimit(.minutes(1)))
    func concurrency() async throws {
        let gate = RequestGate(concurrency: 2, requestsPerMinute: 100_000, sleep: { _ in })
        let holder = Holder()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 { group.addTask { await gate.run { await holder.body() } } }
            func settle(_ held: Int, queued: Int) async {
                while true {
                    let waiting = await gate.queued
                    if holder.waitingBodies == held && waiting == queued { return }
                    await Task.yield()
                }
            }
            await settle(2, queued: 4)
            holder.releaseOne()
            await settle(2, queued: 3)
            while holder.finished.withLock({ $0 }) < 6 {
                holder.releaseOne()
                await Task.yield()
            }
            try await group.waitForAll()
        }
        #expect(holder.most.withLock { $0 } == 2)
    }

    @Test("a client's calls keep to its concurrency at the server")
    func client() async throws {
        try await FakeModel.run { fake, base in
            fake.set {
                $0.latency = .milliseconds(40)
                $0.holdUntilAtOnce = 2
                $0.responder = { _ in .object(["target_persona": "head of support"]) }
            }
            let settings = ModelSettings(baseURL: base, apiKey: "k", smallModel: "s", largeModel: "l", concurrency: 2, requestsPerMinute: 100_000)
            let client = ChatClient(settings: settings, sleep: { _ in })
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        _ = try await client.complete(
                            model: "s", messages: [ChatMessage(role: "user", content: "hi")], schema: OutputSchema(name: "persona_output", fields: [])
                        )
                    }
                }
                try await group.waitForAll()
            }
            #expect(fake.requests.count == 8)
            #expect(fake.mostAtOnce == 2, "the fake held \(fake.mostAtOnce) at once")
        }
    }
}
