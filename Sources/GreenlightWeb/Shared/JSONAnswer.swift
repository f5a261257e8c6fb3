import Foundation
import Hummingbird

/// JSON responses with the API's conventions: snake_case keys as written in the Encodable types, sorted for stable output.
enum JSONAnswer {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ answer: ErrorAnswer) throws -> Response {
        try make(["error": ["code": answer.code, "message": answer.message]], status: answer.status)
    }
}
