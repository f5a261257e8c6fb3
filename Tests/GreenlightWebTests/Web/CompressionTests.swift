import CompressNIO
import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import GreenlightTestSupport

/// Text answers go gzipped to a client that accepts gzip (issue 34, §5): the review page, the
/// OpenAPI document, CSS and JavaScript — the same bytes once inflated; a client that does not
/// accept gzip, a small answer and HEAD get them as they are.
@Suite("Compressed answers", .timeLimit(.minutes(15)))
struct CompressionTests {
    struct Answer {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: ByteBuffer
    }

    @Test("Accept-Encoding is read as RFC 9110 says: gzip, x-gzip or * with a quality above 0")
    func acceptEncoding() {
        #expect(CompressionMiddleware.acceptsGzip(["gzip, deflate, br"]))
        #expect(CompressionMiddleware.acceptsGzip(["br;q=1.0, GZIP;q=0.5"]))
        #expect(CompressionMiddleware.acceptsGzip(["*"]))
        #expect(CompressionMiddleware.acceptsGzip(["identity", "x-gzip"]), "every header counts")
        #expect(!CompressionMiddleware.acceptsGzip([]))
        #expect(!CompressionMiddleware.acceptsGzip(["identity"]))
        #expect(!CompressionMiddleware.acceptsGzip(["gzip;q=0"]))
        #expect(!CompressionMiddleware.acceptsGzip(["deflate, br"]))
    }

    @Test(
        "the review page, the OpenAPI document, CSS and JavaScript gzipped for a client that accepts it; as they are otherwise, small, or to HEAD",
        arguments: DatabaseDialect.allCases)
    func compressed(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            _ = try await Seed.make(database, contacts: 60)
            _ = try await Seed.user(database, email: "boss@team.example", role: .manager, name: "Boss")
            var boss = WebClient(client)
            _ = try await boss.login("boss@team.example")
            let cookie = boss.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            func fetch(_ uri: String, accept: String?, method: HTTPRequest.Method = .get) async throws -> Answer {
                var headers: HTTPFields = [.cookie: cookie]
                if let accept { headers[.acceptEncoding] = accept }
                let response = try await client.execute(uri: uri, method: method, headers: headers, body: nil)
                return Answer(status: response.status, headers: response.headers, body: response.body)
            }
            for uri in ["/review", "/api/v1/openapi.json", "/css/app.css", "/js/review.js"] {
                let plain = try await fetch(uri, accept: nil)
                #expect(plain.status == .ok && plain.headers[.contentEncoding] == nil && plain.body.readableBytes > 1024, "\(uri): \(plain.status)")
                let zipped = try await fetch(uri, accept: "gzip, deflate, br")
                #expect(zipped.status == .ok && zipped.headers[.contentEncoding] == "gzip", "\(uri)")
                #expect(zipped.headers[values: .vary].contains("Accept-Encoding"), "\(uri)")
                #expect(zipped.headers[.contentLength] == String(zipped.body.readableBytes), "\(uri)")
                #expect(
                    zipped.body.readableBytes * 3 < plain.body.readableBytes,
                    "\(uri): \(zipped.body.readableBytes) of \(plain.body.readableBytes) bytes")
                var body = zipped.body
                let inflated = try body.decompress(with: .gzip())
                // Each card says when it was shown (for review times): the one part two fetches differ in.
                func steady(_ page: ByteBuffer) -> String {
                    String(buffer: page).replacingOccurrences(of: #"name="shown_at" value="\d+""#, with: "shown_at", options: .regularExpression)
                }
                #expect(steady(inflated) == steady(plain.body), "\(uri): the same page once inflated")
            }
            let refused = try await fetch("/review", accept: "gzip;q=0, identity")
            #expect(refused.headers[.contentEncoding] == nil && String(buffer: refused.body).contains("<html"))
            let small = try await fetch("/health", accept: "gzip")
            #expect(small.status == .ok && small.headers[.contentEncoding] == nil && small.body.readableBytes < 1024)
            let head = try await fetch("/review", accept: "gzip", method: .head)
            #expect(head.headers[.contentEncoding] == nil)
        }
    }
}
