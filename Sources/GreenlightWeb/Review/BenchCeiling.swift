import Hummingbird
import NIOCore
import Synchronization
import GreenlightCore
import GreenlightWork

/// For `bench/run` only (off unless `GREENLIGHT_BENCH_CEILING=1`): keeps the bytes of the last review
/// queue page rendered for each user and serves them back to that user from memory at
/// `/bench/ceiling`, through the same middleware, so the benchmark can compare the queue with the
/// fastest this server can answer the same page. Per user, because a page holds its viewer's emails
/// and CSRF token.
final class BenchCeiling: Sendable {
    private let pages = Mutex<[Int: ByteBuffer]>([:])

    func store(_ html: ByteBuffer, userID: Int) {
        pages.withLock { $0[userID] = html }
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/bench/ceiling") { _, context -> Response in
            let user = try context.requireUser()
            guard let bytes = self.pages.withLock({ $0[user.id] }) else { throw NotFound("a rendered queue page (open /review once first)") }
            return ViewRenderer.html(bytes)
        }
    }
}
