import Foundation
import Hummingbird
import NIOCore
import GreenlightCore
import GreenlightWork

/// Reads request bodies within the size limit, answering 413 beyond it, and decodes forms and JSON
/// with messages that name what is wrong.
enum RequestBodyReader {
    /// The whole body, up to the matched route's limit (kept on the request so later readers see it too).
    static func collect(_ request: inout Request, context: AppRequestContext) async throws -> ByteBuffer {
        let limit = context.maxBodySize
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw AppError.tooLarge(limit)
        }
        do {
            return try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw AppError.tooLarge(limit)
        }
    }

    /// A urlencoded form as `T` (fields that may be absent or bad should be `String?`).
    static func form<T: Decodable>(_ type: T.Type, _ request: Request, context: AppRequestContext) async throws -> T {
        var request = request
        let body = try await collect(&request, context: context)
        do {
            return try URLEncodedFormDecoder().decode(T.self, from: String(buffer: body))
        } catch {
            throw AppError.badRequest("the form could not be read: \(error)")
        }
    }

    /// A JSON body as `T`; an empty body decodes as `{}`.
    static func json<T: Decodable>(_ type: T.Type, _ request: Request, context: AppRequestContext) async throws -> T {
        var request = request
        let body = try await collect(&request, context: context)
        let data = body.readableBytes == 0 ? Data("{}".utf8) : Data(body.readableBytesView)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            switch error {
            case .dataCorrupted: throw AppError.badRequest("the body is not valid JSON")
            default: throw InputError(field: "body", "the JSON body is not as expected: \(ContextPackFolder.describe(error))")
            }
        }
    }

    /// The boundary parameter of a multipart content type.
    static func boundary(_ contentType: String) -> String? {
        for part in contentType.split(separator: ";") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.lowercased().hasPrefix("boundary=") {
                return String(trimmed.dropFirst("boundary=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }
}
