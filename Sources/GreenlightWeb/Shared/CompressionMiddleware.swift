import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Sends text answers — HTML, JSON, CSS, JavaScript, CSV, SVG, plain text — gzip-compressed to a
/// client that accepts gzip (issue 34: the review page is ~300 KB of HTML and ~16 KB gzipped).
/// Answers under 1 KB, already encoded, of another type, to HEAD, or without a body stay as they
/// are; so does a body larger than 16 MB, which is sent as it comes rather than held in memory.
/// `Vary: Accept-Encoding` tells caches the answer depends on the header.
struct CompressionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// Bodies smaller than this gain less than gzip's header costs.
    static let minimumBytes = 1024
    /// Bodies larger than this are not collected to be compressed.
    static let maximumBytes = 16 << 20

    static let compressible: [String] = [
        "text/html", "text/css", "text/csv", "text/plain", "text/javascript", "application/javascript", "application/json",
        "application/problem+json", "application/openapi+json", "image/svg+xml",
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard request.method != .head, Self.acceptsGzip(request.headers[values: .acceptEncoding]),
            response.headers[.contentEncoding] == nil,
            let type = response.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased(),
            Self.compressible.contains(type),
            let length = response.body.contentLength, (Self.minimumBytes...Self.maximumBytes).contains(length)
        else { return response }
        let collected = Collected()
        try await response.body.write(CollectingWriter(into: collected))
        var plain = collected.buffer
        let compressed = try plain.compress(with: .gzip())
        response.body = ResponseBody(byteBuffer: compressed)
        response.headers[.contentEncoding] = "gzip"
        response.headers[.contentLength] = String(compressed.readableBytes)
        let vary = response.headers[values: .vary]
        if !vary.contains(where: { $0.lowercased() == "accept-encoding" }) {
            response.headers.append(HTTPField(name: .vary, value: "Accept-Encoding"))
        }
        return response
    }

    /// Whether an `Accept-Encoding` header accepts gzip (listed, or `*`, with a quality above 0).
    static func acceptsGzip(_ values: [String]) -> Bool {
        for entry in values.flatMap({ $0.split(separator: ",") }) {
            let parts = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = parts.first, coding == "gzip" || coding == "x-gzip" || coding == "*" else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality > 0 { return true }
        }
        return false
    }

    /// Where a body written to a ``CollectingWriter`` ends up.
    final class Collected: @unchecked Sendable {
        var buffer = ByteBuffer()
    }

    /// A body writer that keeps what it is given.
    struct CollectingWriter: ResponseBodyWriter {
        let into: Collected

        mutating func write(_ buffer: ByteBuffer) async throws {
            var copy = buffer
            into.buffer.writeBuffer(&copy)
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
