import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// A Slack incoming webhook on loopback, on a free port: it records every request and answers as
/// scripted. `FakeSlack.run` starts it, hands the test its base URL, and stops it afterwards, also
/// when the test throws; requests still hanging are released first so shutdown never waits on them.
package final class FakeSlack: @unchecked Sendable {
    /// How the server answers one request.
    package enum Reply: Sendable {
        /// 200 with body `ok`, as Slack does.
        case ok
        /// 429 with `Retry-After: seconds`.
        case rateLimited(retryAfter: Int)
        /// 500 with a plain-text body.
        case serverError
        /// Any status with a plain-text body.
        case status(Int, String)
        /// 404 whose body repeats the requested path, as a careless proxy might.
        case echoPath
        /// Never answers (until the server stops).
        case hang
        /// Sends 200, its headers and the first byte of the body, then nothing more (until the server stops).
        case hangBody
    }

    /// One request as the server saw it.
    package struct Recorded: Sendable {
        package var method: String
        package var path: String
        package var contentType: String?
        package var body: String
    }

    private let lock = NSLock()
    private var replies: [Reply]
    private var recorded: [Recorded] = []
    private var released = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Answers in order; when the script runs out, every further request gets the last reply.
    private init(replies: [Reply]) {
        self.replies = replies
    }

    /// Every request so far, in order.
    package var requests: [Recorded] { lock.withLock { recorded } }

    /// Starts a fake Slack answering with `replies`, runs `body` with its base URL
    /// (`http://localhost:PORT`), and stops it however `body` ends.
    package static func run<T: Sendable>(_ replies: [Reply], _ body: @escaping @Sendable (FakeSlack, String) async throws -> T) async throws -> T {
        let slack = FakeSlack(replies: replies)
        let router = Router()
        for method in [HTTPRequest.Method.post, .get, .put] {
            router.on("/**", method: method) { request, _ in try await slack.answer(request) }
        }
        var logger = Logger(label: "fake-slack")
        logger.logLevel = .error
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        return try await app.test(.live) { client in
            guard let port = client.port else { throw FakeSlackError("the fake Slack has no port") }
            do {
                let value = try await body(slack, "http://localhost:\(port)")
                slack.releaseAll()
                return value
            } catch {
                slack.releaseAll()
                throw error
            }
        }
    }

    private func answer(_ request: Request) async throws -> Response {
        let bytes = try await request.body.collect(upTo: 1 << 20)
        let reply = record(
            Recorded(
                method: request.method.rawValue,
                path: request.uri.path,
                contentType: request.headers[.contentType],
                body: String(buffer: bytes)
            ))
        switch reply {
        case .ok:
            return Self.text(.ok, "ok")
        case .rateLimited(let seconds):
            var response = Self.text(.tooManyRequests, "rate_limited")
            response.headers[.retryAfter] = "\(seconds)"
            return response
        case .serverError:
            return Self.text(.internalServerError, "internal_error")
        case .status(let code, let text):
            return Self.text(HTTPResponse.Status(code: code), text)
        case .echoPath:
            return Self.text(.notFound, "no_service for \(request.uri.path)")
        case .hang:
            await waitForRelease()
            return Self.text(.ok, "ok")
        case .hangBody:
            return Response(
                status: .ok, headers: [.contentType: "text/plain"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "o"))
                    await self.waitForRelease()
                    try await writer.write(ByteBuffer(string: "k"))
                    try await writer.finish(nil)
                })
        }
    }

    /// Keeps `request` and takes the next scripted reply.
    private func record(_ request: Recorded) -> Reply {
        lock.withLock {
            recorded.append(request)
            return replies.count > 1 ? replies.removeFirst() : (replies.first ?? .ok)
        }
    }

    private static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    private func waitForRelease() async {
        await withCheckedContinuation { continuation in
            let now = lock.withLock {
                if released { return true }
                waiting.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Lets every hanging request finish, now and from now on.
    private func releaseAll() {
        let parked = lock.withLock {
            released = true
            defer { waiting.removeAll() }
            return waiting
        }
        for continuation in parked { continuation.resume() }
    }
}

/// The fake Slack could not start.
struct FakeSlackError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
