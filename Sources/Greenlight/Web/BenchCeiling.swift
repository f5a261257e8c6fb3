import Hummingbird
import NIOCore
import Synchronization

/// For `bench/run` only (off unless `GREENLIGHT_BENCH_CEILING=1`): keeps the bytes of the last review
/// queue page rendered and serves them from memory at `/bench/ceiling`, through the same middleware,
/// so the benchmark can compare the queue with the fastest this server can answer the same page.
final class BenchCeiling: Sendable {
    private let page = Mutex<ByteBuffer?>(nil)

    func store(_ html: ByteBuffer) {
        page.withLock { $0 = html }
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/bench/ceiling") { _, _ -> Response in
            guard let bytes = self.page.withLock({ $0 }) else { throw NotFound("a rendered queue page (open /review once first)") }
            return ViewRenderer.html(bytes)
        }
    }
}
