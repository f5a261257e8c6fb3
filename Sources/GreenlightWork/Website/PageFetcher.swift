import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import GreenlightCore

/// Fetches one web page the safe way (issue 16): http and https only; every hop's host resolved and
/// checked by the ``AddressGuard`` and then connected to at that very address (async-http-client's
/// DNS override; TLS still checks the certificate against the name); at most 3 redirects, each
/// checked again; a timeout over the whole answer; HTML only; a body cap. A page that fails is an
/// error with the reason — the caller skips the site, never fails the draft.
public struct PageFetcher: Sendable {
    /// A fetched page: where it ended up, its bytes and the charset its answer named.
    public struct Page: Sendable {
        public var url: String
        public var bytes: [UInt8]
        public var charset: String?
    }

    let addresses: AddressGuard
    let timeout: Duration
    let bodyLimit: Int
    let maxRedirects: Int

    public init(addresses: AddressGuard, timeout: Duration = .seconds(8), bodyLimit: Int = 2 << 20, maxRedirects: Int = 3) {
        self.addresses = addresses
        self.timeout = timeout
        self.bodyLimit = bodyLimit
        self.maxRedirects = maxRedirects
    }

    /// The page at `url` (a bare domain is read as `https://domain/`).
    public func fetch(_ url: String) async throws(WebsiteError) -> Page {
        var current = url.contains("://") ? url : "https://" + url
        for _ in 0...maxRedirects {
            guard let parsed = URL(string: current), let scheme = parsed.scheme?.lowercased(), let host = parsed.host, !host.isEmpty else {
                throw .refused("\"\(current)\" is not a web address")
            }
            guard scheme == "http" || scheme == "https" else { throw .refused("\(current): only http and https are fetched") }
            let address = try await addresses.address(for: host)
            switch try await once(current, host: host, address: address) {
            case .page(let page):
                return page
            case .redirect(let location):
                guard let next = URL(string: location, relativeTo: parsed)?.absoluteURL.absoluteString else {
                    throw .unusable("\(current) redirects to \"\(location)\", which is not a web address")
                }
                current = next
            }
        }
        throw .unusable("\(url) redirects more than \(maxRedirects) times")
    }

    private enum Hop {
        case page(Page)
        case redirect(String)
    }

    /// One request, connected to the checked address, redirects not followed.
    private func once(_ url: String, host: String, address: String) async throws(WebsiteError) -> Hop {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.dnsOverride = [host: address]
        configuration.timeout = .init(connect: .init(timeout), read: .init(timeout))
        let client = HTTPClient(eventLoopGroupProvider: .shared(HTTPClient.defaultEventLoopGroup), configuration: configuration)
        defer { client.shutdown { _ in } }
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent", value: "Greenlight/1 (reads a prospect's public pages for a draft)")
        request.headers.add(name: "Accept", value: "text/html,application/xhtml+xml")
        let timeout = self.timeout
        let limit = bodyLimit
        let prepared = request
        let outcome: Result<Hop, WebsiteError>
        do {
            outcome =
                try await withThrowingTaskGroup(of: Result<Hop, WebsiteError>?.self) { group in
                    group.addTask {
                        let response = try await client.execute(prepared, deadline: .now() + TimeAmount(timeout))
                        return try await Self.read(response, url: url, limit: limit)
                    }
                    group.addTask {
                        try await Task.sleep(for: timeout)
                        return nil
                    }
                    defer { group.cancelAll() }
                    return try await group.next() ?? nil
                } ?? .failure(.unreachable("\(url) did not answer within \(DurationText.describe(timeout))"))
        } catch let error as HTTPClientError where error.isTimeout {
            throw .unreachable("\(url) did not answer within \(DurationText.describe(timeout))")
        } catch {
            throw .unreachable("\(url): \(error)")
        }
        return try outcome.get()
    }

    /// What an answer is: a redirect, a page, or why it is neither.
    private static func read(_ response: HTTPClientResponse, url: String, limit: Int) async throws -> Result<Hop, WebsiteError> {
        let status = Int(response.status.code)
        if (300..<400).contains(status) {
            guard let location = response.headers.first(name: "Location"), !location.isEmpty else {
                return .failure(.unusable("\(url) answered \(status) without a Location"))
            }
            return .success(.redirect(location))
        }
        guard status == 200 else { return .failure(.unusable("\(url) answered \(status)")) }
        let type = response.headers.first(name: "Content-Type") ?? ""
        let media = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard media == "text/html" || media == "application/xhtml+xml" else {
            return .failure(.unusable("\(url) is \(media.isEmpty ? "of no stated type" : media), not HTML"))
        }
        if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > limit {
            return .failure(.unusable("\(url) is larger than \(limit / 1024) KB"))
        }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            return .failure(.unusable("\(url) is larger than \(limit / 1024) KB"))
        }
        let charset = type.split(separator: ";").dropFirst().compactMap { part -> String? in
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return pair.count == 2 && pair[0].lowercased() == "charset" ? pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) : nil
        }.first
        return .success(.page(Page(url: url, bytes: Array(body.readableBytesView), charset: charset)))
    }
}
