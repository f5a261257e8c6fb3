import Foundation
import Hummingbird
import NIOCore
import Mustache
import GreenlightCore

/// Renders the Mustache templates of `Views/` into HTML responses.
///
/// Every template the app uses is checked at start-up: a missing one fails loudly then,
/// not as a blank page later.
public struct ViewRenderer: Sendable {
    static let required = [
        "layout", "login", "error", "review/queue", "review/card", "review/email", "review/reason-options",
        "clients/list", "clients/show", "import/upload", "import/report", "audit", "rollout/index", "rollout/show", "dashboard",
    ]

    let library: MustacheLibrary

    public init(directory: String) async throws {
        MustacheContentTypes.register(FastHTMLContentType(), named: FastHTMLContentType.name)
        library = try await MustacheLibrary(directory: directory)
        let missing = Self.required.filter { library.getTemplate(named: $0) == nil }
        if !missing.isEmpty {
            throw ConfigurationError("templates missing from \(directory): \(missing.map { $0 + ".mustache" }.joined(separator: ", "))")
        }
    }

    public func render(_ template: String, _ model: Any) throws -> String {
        guard let html = library.render(model, withTemplate: template) else {
            throw ConfigurationError("template \(template) is not loaded")
        }
        return html
    }

    public func response(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        Self.html(ByteBuffer(string: try render(template, model)), status: status)
    }

    static func html(_ bytes: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"], body: .init(byteBuffer: bytes))
    }
}
