import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A browser-like client over HummingbirdTesting: keeps cookies, reads CSRF tokens from pages, logs in.
package struct WebClient {
    let client: any TestClientProtocol
    package var cookies: [String: String] = [:]
    package var csrf = ""

    package init(_ client: any TestClientProtocol) {
        self.client = client
    }

    package struct Page {
        package var status: HTTPResponse.Status
        package var headers: HTTPFields
        package var text: String

        package var location: String? { headers[.location] }
        package func json() throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
        }
    }

    @discardableResult
    package mutating func request(
        _ uri: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:], body: String? = nil, contentType: String? = nil
    ) async throws -> Page {
        var headers = headers
        if !cookies.isEmpty {
            headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        if let contentType { headers[.contentType] = contentType }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for field in response.headers[values: .setCookie] {
            let pair = field.split(separator: ";")[0]
            let parts = pair.split(separator: "=", maxSplits: 1)
            let name = String(parts[0]).trimmingCharacters(in: .whitespaces)
            let value = parts.count > 1 ? String(parts[1]) : ""
            if value.isEmpty || field.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        let text = String(buffer: response.body)
        if uri.hasPrefix("/api/v1/"), method != .head {
            // Every API answer of every test is checked against the OpenAPI document.
            for problem in OpenAPIDocument.shared.problems(method: method.rawValue, uri: uri, status: Int(response.status.code), body: text) {
                Issue.record(Comment(rawValue: "OpenAPI: " + problem))
            }
        }
        if let token = Self.firstMatch(#"<meta name="csrf-token" content="([^"]*)""#, in: text), !token.isEmpty { csrf = token }
        return Page(status: response.status, headers: response.headers, text: text)
    }

    /// Posts a urlencoded form; `_csrf` is added unless `csrf: false`.
    @discardableResult
    package mutating func post(_ uri: String, _ fields: [(String, String)] = [], csrf includeToken: Bool = true, headers: HTTPFields = [:])
        async throws
        -> Page
    {
        var fields = fields
        if includeToken { fields.append(("_csrf", csrf)) }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await request(uri, method: .post, headers: headers, body: body, contentType: "application/x-www-form-urlencoded")
    }

    package mutating func login(_ email: String, password: String = "correct horse battery") async throws -> Page {
        let form = try await request("/login")
        let token = Self.firstMatch(#"name="_csrf" value="([^"]*)""#, in: form.text) ?? ""
        let page = try await post("/login", [("_csrf", token), ("email", email), ("password", password)], csrf: false)
        if page.status == .seeOther { _ = try await request("/review") }
        return page
    }

    package static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    package static func firstMatch(_ pattern: String, in text: String) -> String? {
        allMatches(pattern, in: text).first
    }

    package static func allMatches(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}

/// Runs `body` against the real router over a fresh database of each kind (time from `clock` when given).
package func withApp(
    _ dialect: DatabaseDialect, clock: ManualClock? = nil, benchCeiling: Bool = false, secretBox: SecretBox? = nil,
    sequencers: SequencerFactory = SequencerFactory(instantlyBaseURL: "http://127.0.0.1:9"),
    _ body: @escaping @Sendable (Database, any TestClientProtocol) async throws -> Void
) async throws {
    try await TestDatabase.with(dialect) { database in
        let configuration = AppConfiguration(
            paths: TestDatabase.paths, bcryptCost: 4, benchCeiling: benchCeiling, clock: clock?.source ?? .system,
            secretBox: secretBox, sequencers: sequencers)
        let app = try await buildApplication(configuration: configuration, database: database, logger: TestDatabase.logger)
        try await app.test(.router) { client in
            try await body(database, client)
        }
    }
}
