import Foundation
import MultipartKit
import NIOCore
import NIOHTTP1

/// The parts of a `multipart/form-data` body (an upload form), by field name.
struct MultipartForm {
    let parts: [MultipartPart]

    init(_ body: ByteBuffer, boundary: String) throws {
        let parser = MultipartParser(boundary: boundary)
        var parts: [MultipartPart] = []
        var headers = HTTPHeaders()
        var partBody = ByteBuffer()
        parser.onHeader = { name, value in headers.add(name: name, value: value) }
        parser.onBody = { chunk in partBody.writeBuffer(&chunk) }
        parser.onPartComplete = {
            parts.append(MultipartPart(headers: headers, body: partBody))
            headers = HTTPHeaders()
            partBody = ByteBuffer()
        }
        try parser.execute(body)
        self.parts = parts
    }

    func part(_ name: String) -> MultipartPart? {
        parts.first { $0.name == name }
    }

    func text(_ name: String) -> String? {
        part(name).map { String(buffer: $0.body) }
    }
}
