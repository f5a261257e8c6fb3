import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// A website on loopback for the fetcher: a home page linking its customers and about pages, and
/// hostile answers — an endless redirect chain, redirects to a private and a link-local address, a
/// page far over the size cap, JSON instead of HTML, a Latin-1 page, an answer that never comes.
package enum FakeWebsite {
    static let home = """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>Quaylink</title><script>track()</script></head><body>
        <nav><a href="/customers.html">Clients</a> <a href="/about.html">À propos</a></nav>
        <main><h1>Freight booking for small forwarders</h1><p>70 transitaires nous font confiance.</p></main></body></html>
        """

    /// A page of 3.6 MB, far over the fetcher's cap: built once, not on each request (a full test run
    /// on two cores made building it per request slow enough to matter).
    static let huge = ByteBuffer(string: "<html><body>" + String(repeating: "<p>filler text</p>", count: 200_000) + "</body></html>")

    package static func run<T: Sendable>(_ body: @escaping @Sendable (String, Int) async throws -> T) async throws -> T {
        let router = Router()
        let html: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        router.get("/") { _, _ in Response(status: .ok, headers: html, body: .init(byteBuffer: ByteBuffer(string: home))) }
        router.get("/customers.html") { _, _ in
            Response(
                status: .ok, headers: html,
                body: .init(
                    byteBuffer: ByteBuffer(
                        string:
                            "<html><body><nav><a href='/'>Accueil</a></nav><main><h1>Nos clients</h1><p>Cas client : Portaxe traite 40 % de dossiers en plus.</p></main></body></html>"
                    )))
        }
        router.get("/moved") { _, _ in Response(status: .movedPermanently, headers: [.location: "/"]) }
        router.get("/loop/:n") { _, context in
            let n = context.parameters.get("n", as: Int.self) ?? 0
            return Response(status: .found, headers: [.location: "/loop/\(n + 1)"])
        }
        router.get("/to-private") { _, _ in Response(status: .found, headers: [.location: "http://10.0.0.1/admin"]) }
        router.get("/to-metadata") { _, _ in Response(status: .temporaryRedirect, headers: [.location: "http://169.254.169.254/latest/meta-data/"]) }
        router.get("/huge") { _, _ in Response(status: .ok, headers: [.contentType: "text/html"], body: .init(byteBuffer: huge)) }
        router.get("/data.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
        router.get("/latin1") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=ISO-8859-1"],
                body: .init(byteBuffer: ByteBuffer(bytes: Array("<html><body><p>Cr".utf8) + [0xE8] + Array("me</p></body></html>".utf8))))
        }
        router.get("/missing") { _, _ in Response(status: .notFound) }
        router.get("/slow") { _, _ -> Response in
            try await Task.sleep(for: .milliseconds(1500))
            return Response(status: .ok, headers: html, body: .init(byteBuffer: ByteBuffer(string: "<p>late</p>")))
        }
        var logger = Logger(label: "fake-website")
        logger.logLevel = .error
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        return try await app.test(.live) { client in
            guard let port = client.port else { throw FakeSequencer.FakeError("the fake website has no port") }
            return try await body("http://127.0.0.1:\(port)", port)
        }
    }
}

extension FakeWebsite {
    /// Serves a page saying `text` on `host` (any loopback address, e.g. 127.0.0.2) at a free port,
    /// runs `body` with the port, then stops. (HummingbirdTesting's live mode listens on 127.0.0.1 only.)
    package static func serving<T: Sendable>(_ text: String, on host: String, _ body: @escaping @Sendable (Int) async throws -> T) async throws -> T {
        let (ports, found) = AsyncStream.makeStream(of: Int.self)
        let router = Router()
        router.get("/") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "<html><body><p>\(text)</p></body></html>")))
        }
        var logger = Logger(label: "fake-site-\(host)")
        logger.logLevel = .error
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: 0)),
            onServerRunning: { channel in
                found.yield(channel.localAddress?.port ?? 0)
                found.finish()
            }, logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.runService(gracefulShutdownSignals: [])
                return nil
            }
            var waiting = ports.makeAsyncIterator()
            guard let port = await waiting.next(), port > 0 else { throw CancellationError() }
            let result = try await body(port)
            group.cancelAll()
            return result
        }
    }
}
