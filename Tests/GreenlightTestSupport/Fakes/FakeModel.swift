import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb

/// An OpenAI-compatible chat-completions server on loopback (OpenAI's chat completions API, https://platform.openai.com/docs/api-reference/chat).
/// It checks each request's shape (model, messages, max_tokens, response_format) and answers from a
/// script — a JSON object, plain text, an error status with its code and `Retry-After`, an answer cut
/// at the token limit, a refusal, or none at all — then from `otherwise`. It can refuse the ways of
/// asking for JSON it does not "know", and records every request it got.
package final class FakeModel: @unchecked Sendable {
    /// One scripted answer.
    package enum Reply {
        case object([String: Any], promptTokens: Int = 100, completionTokens: Int = 20)
        case text(String)
        case status(Int, code: String? = nil, retryAfter: Int? = nil)
        case cut
        case refusal(String)
        /// Never answers (until the fake stops).
        case silence
    }

    private let lock = NSLock()
    private var script: [Reply] = []
    private var received: [[String: Any]] = []
    private var keys: [String?] = []
    private var shapeProblems: [String] = []
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var stopped = false
    private var current = 0
    private var most = 0

    /// The ways of asking for JSON it takes; another gets 400 naming `response_format`.
    package var supported: Set<OutputMode> = [.jsonSchema, .jsonObject, .prompt]
    /// The answer once the script is used up.
    package var otherwise: Reply = .status(500)
    /// When set, answers each request the script does not (given the request's body) instead of `otherwise`.
    package var responder: (([String: Any]) -> Reply)?
    /// How long each answer takes (a model's latency; requests overlap meanwhile).
    package var latency: Duration = .zero
    /// When above 1, the first requests hold until this many are in at once (for at most ten
    /// seconds), so a test of overlap does not hang on the machine's speed.
    package var holdUntilAtOnce = 0
    /// The most requests it held at once.
    package var mostAtOnce: Int { lock.withLock { most } }

    package func set(_ change: (FakeModel) -> Void) { lock.withLock { change(self) } }
    package func queue(_ replies: Reply...) { lock.withLock { script.append(contentsOf: replies) } }

    /// Every request body, in order.
    package var requests: [[String: Any]] { lock.withLock { received } }
    /// The `Authorization` header of every request.
    package var authorizations: [String?] { lock.withLock { keys } }
    /// What was wrong with the shape of any request (none in a passing test).
    package var problems: [String] { lock.withLock { shapeProblems } }

    /// The messages' texts of request `index`.
    package func messages(_ index: Int) -> [String] {
        ((requests[index]["messages"] as? [[String: Any]]) ?? []).map { "\($0["role"] as? String ?? "?"): \($0["content"] as? String ?? "")" }
    }

    /// The schema name a request asked for.
    package static func schemaName(_ body: [String: Any]) -> String {
        (((body["response_format"] as? [String: Any])?["json_schema"] as? [String: Any])?["name"] as? String) ?? ""
    }

    /// The `response_format.type` of request `index` ("prompt" when there is none).
    package func format(_ index: Int) -> String {
        ((requests[index]["response_format"] as? [String: Any])?["type"] as? String) ?? "prompt"
    }

    package static func run<T: Sendable>(_ body: @escaping @Sendable (FakeModel, String) async throws -> T) async throws -> T {
        let fake = FakeModel()
        let router = Router()
        router.post("/v1/chat/completions") { request, _ in try await fake.answer(request) }
        var logger = Logger(label: "fake-model")
        logger.logLevel = .error
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        return try await app.test(.live) { client in
            guard let port = client.port else { throw FakeSequencer.FakeError("the fake model has no port") }
            defer { fake.release() }
            return try await body(fake, "http://127.0.0.1:\(port)/v1")
        }
    }

    private func answer(_ request: Request) async throws -> Response {
        let wait = lock.withLock { () -> Duration in
            current += 1
            most = max(most, current)
            return latency
        }
        defer { lock.withLock { current -= 1 } }
        if wait > .zero { try await Task.sleep(for: wait) }
        let holdEnds = ContinuousClock.now + .seconds(30)
        while lock.withLock({ most < holdUntilAtOnce }), ContinuousClock.now < holdEnds { try await Task.sleep(for: .milliseconds(5)) }
        let bytes = try await request.body.collect(upTo: 8 << 20)
        let body = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
        let reply: Reply = lock.withLock {
            received.append(body)
            keys.append(request.headers[.authorization])
            shapeProblems.append(contentsOf: Self.shape(body))
            let mode = ((body["response_format"] as? [String: Any])?["type"] as? String).flatMap(OutputMode.init(rawValue:)) ?? .prompt
            guard supported.contains(mode) else {
                return .status(400, code: "invalid_request_error:response_format")
            }
            if !script.isEmpty { return script.removeFirst() }
            return responder?(body) ?? otherwise
        }
        switch reply {
        case .object(let object, let prompt, let completion):
            let content = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            return Self.completion(content: content, finish: "stop", refusal: nil, model: body["model"] as? String ?? "", usage: (prompt, completion))
        case .text(let text):
            return Self.completion(content: text, finish: "stop", refusal: nil, model: body["model"] as? String ?? "", usage: (10, 5))
        case .cut:
            return Self.completion(
                content: "{\"target_persona\": \"head of", finish: "length", refusal: nil, model: body["model"] as? String ?? "", usage: (10, 600))
        case .refusal(let why):
            return Self.completion(content: nil, finish: "stop", refusal: why, model: body["model"] as? String ?? "", usage: (10, 5))
        case .status(let status, let code, let retryAfter):
            let refusesFormat = code == "invalid_request_error:response_format"
            let error: [String: Any] = [
                "message": refusesFormat ? "response_format is not supported by this server" : "status \(status)",
                "type": "invalid_request_error",
                "param": refusesFormat ? "response_format" : NSNull(),
                "code": refusesFormat ? NSNull() : (code.map { $0 as Any } ?? NSNull()),
            ]
            var response = FakeSequencer.json(status, ["error": error])
            if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
            return response
        case .silence:
            await withCheckedContinuation { continuation in
                let now = lock.withLock { () -> Bool in
                    if stopped { return true }
                    waiting.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
            return FakeSequencer.json(503, ["error": ["message": "stopped"]])
        }
    }

    private func release() {
        let all = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            stopped = true
            defer { waiting = [] }
            return waiting
        }
        for continuation in all { continuation.resume() }
    }

    /// What is wrong with a request's shape.
    static func shape(_ body: [String: Any]) -> [String] {
        var problems: [String] = []
        if (body["model"] as? String)?.isEmpty != false { problems.append("no model") }
        let messages = body["messages"] as? [[String: Any]] ?? []
        if messages.isEmpty
            || !messages.allSatisfy({ ["system", "user", "assistant"].contains($0["role"] as? String ?? "") && $0["content"] is String })
        {
            problems.append("messages are not [{role, content}]")
        }
        if !(body["max_tokens"] is Int) { problems.append("no max_tokens") }
        if let format = body["response_format"] as? [String: Any], format["type"] as? String == "json_schema" {
            let wrapper = format["json_schema"] as? [String: Any] ?? [:]
            let schema = wrapper["schema"] as? [String: Any] ?? [:]
            let properties = (schema["properties"] as? [String: Any])?.keys.sorted() ?? []
            if wrapper["name"] as? String == nil || wrapper["strict"] as? Bool != true || schema["additionalProperties"] as? Bool != false
                || (schema["required"] as? [String])?.sorted() != properties || properties.isEmpty
            {
                problems.append("json_schema is not strict with every property required: \(format)")
            }
        }
        return problems
    }

    static func completion(content: String?, finish: String, refusal: String?, model: String, usage: (Int, Int)) -> Response {
        FakeSequencer.json(
            200,
            [
                "id": "chatcmpl-fake", "object": "chat.completion", "created": 1_764_547_200, "model": model,
                "choices": [
                    [
                        "index": 0,
                        "message": [
                            "role": "assistant", "content": content.map { $0 as Any } ?? NSNull(), "refusal": refusal.map { $0 as Any } ?? NSNull(),
                        ],
                        "finish_reason": finish,
                    ]
                ],
                "usage": ["prompt_tokens": usage.0, "completion_tokens": usage.1, "total_tokens": usage.0 + usage.1],
            ])
    }
}
