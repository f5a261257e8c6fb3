import Foundation
import MultipartKit
import NIOCore
import NIOHTTP1

/// The parts of a `multipart/form-data` body (an upload form), by field name.
struct MultipartForm {
    /// Our forms have a handful of fields (a context pack: its files and case studies); a body with more
    /// parts than this is refused (400).
    static let maximumParts = 64

    let parts: [MultipartPart]

    init(_ body: ByteBuffer, boundary: String) throws {
        let parser = MultipartParser(boundary: boundary)
        var parts: [MultipartPart] = []
        var headers = HTTPHeaders()
        var partBody = ByteBuffer()
        parser.onHeader = { name, value in headers.add(name: name, value: value) }
        parser.onBody = { chunk in partBody.writeBuffer(&chunk) }
        var tooMany = false
        parser.onPartComplete = {
            guard parts.count < Self.maximumParts else { tooMany = true; return }
            parts.append(MultipartPart(headers: headers, body: partBody))
            headers = HTTPHeaders()
            partBody = ByteBuffer()
        }
        try parser.execute(body)
        if tooMany { throw AppError.badRequest("the form has more than \(Self.maximumParts) parts") }
        self.parts = parts
    }

    func part(_ name: String) -> MultipartPart? {
        parts.first { $0.name == name }
    }

    func text(_ name: String) -> String? {
        part(name).map { String(buffer: $0.body) }
    }
}
