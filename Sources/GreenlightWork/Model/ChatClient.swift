import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import GreenlightCore

/// An OpenAI-compatible chat-completions client (OpenAI's chat completions API, https://platform.openai.com/docs/api-reference/chat) on
/// async-http-client: JSON answers by schema where the server takes `json_schema`, else
/// `json_object`, else by the prompt alone — the first refusal of a mode (a 400 naming
/// `response_format`) moves this client to the next one for good. Every call is bounded by the
/// timeout; 429 and 5xx answers, timeouts and lost connections are retried with exponential backoff
/// and jitter honouring `Retry-After` (a repeated call costs tokens at most), except a 429 saying the
/// quota is gone. Every attempt waits its turn at the ``RequestGate`` (the concurrency and
/// requests-per-minute limits, shared by every copy of this client). The key goes in the
/// `Authorization` header and nowhere else.
public struct ChatClient: Sendable {
    let settings: ModelSettings
    let policy: RetryPolicy
    let exchange: HTTPExchange
    let sleep: @Sendable (Duration) async throws -> Void
    let modes: OutputModes
    let gate: RequestGate

    /// The process's connections to model servers: up to 256 per host, so the model's concurrency
    /// limit (enforced by the gate) is the one that binds — `HTTPClient.shared` keeps 8 per host.
    /// Never shut down: it lives as long as the process.
    public static let modelHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// - Parameter sleep: how the client waits, before a retry and for its turn at the rate limit.
    public init(
        settings: ModelSettings, httpClient: HTTPClient = ChatClient.modelHTTPClient, maxRetries: Int = 3,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.settings = settings
        self.policy = RetryPolicy(timeout: settings.timeout, maxRetries: maxRetries, baseDelay: .seconds(1), maxDelay: .seconds(60))
        self.exchange = HTTPExchange(httpClient: httpClient, timeout: settings.timeout, vendor: "the model server")
        self.sleep = sleep
        self.modes = OutputModes()
        self.gate = RequestGate(concurrency: settings.concurrency, requestsPerMinute: settings.requestsPerMinute, sleep: sleep)
    }

    /// The output mode the next call starts with.
    public var mode: OutputMode {
        get async { await modes.current }
    }

    /// Asks the model and returns its answer: the JSON object, or — for an answer that came but holds
    /// none — the ``ChatCompletion/problem``. Throws when no answer came or the server refused.
    /// - Parameter meter: pays for every request (retries included) before it is sent, and throws
    ///   ``ModelError/budgetReached(_:)`` instead of sending one the client's budget cannot take.
    public func complete(
        model: String, messages: [ChatMessage], schema: OutputSchema, maxTokens: Int = 600,
        temperature: Double = 0.2, meter: CallMeter? = nil
    ) async throws(ModelError) -> ChatCompletion {
        var mode = await modes.current
        var retries = 0
        var requests = 0
        var headers = [(String, String)]()
        if let key = settings.apiKey { headers.append(("Authorization", "Bearer \(key)")) }
        while true {
            requests += 1
            let body = Self.body(model: model, messages: messages, schema: schema, mode: mode, maxTokens: maxTokens, temperature: temperature)
            let reservation = try await meter?.reserve(model: model, requestBytes: body?.count ?? 0, maxTokens: maxTokens)
            let outcome = await gate.run { [exchange, settings, headers] in
                await exchange.send(.POST, settings.baseURL + "/chat/completions", headers: headers, json: body)
            }
            let reason: String
            var retryAfter: Duration?
            switch outcome {
            case .answer(let status, let data, _) where (200..<300).contains(status):
                var completion = Self.completion(data, model: model, mode: mode)
                completion.requests = requests
                if let meter, let reservation {
                    await meter.answered(reservation, completion)
                    completion.reservation = reservation
                }
                return completion
            case .answer(let status, let data, let after):
                // Refused with a status: the work was not done, nothing is billed.
                if let meter, let reservation { await meter.failed(reservation, billed: false) }
                let error = Self.errorFields(data)
                if status == 400, let weaker = mode.weaker, error.mentionsResponseFormat {
                    // The server does not take this way of asking for JSON: the next one, for good.
                    mode = weaker
                    await modes.weaken(to: weaker)
                    continue
                }
                switch status {
                case 401: throw .refusedKey(error.message)
                case 403, 404: throw .forbidden(error.message)
                case 429 where error.code == "insufficient_quota": throw .quota(error.message)
                case 429, 500...599:
                    reason = "the model server answered \(status)\(error.message.isEmpty ? "" : ": \(error.message)")"
                    retryAfter = after
                default:
                    throw .rejected(status: status, message: error.message.isEmpty ? "no explanation given" : error.message)
                }
            case .failed(let why, let mayHaveArrived):
                // Timed out after sending: the provider may bill it, so the reservation stays.
                if let meter, let reservation { await meter.failed(reservation, billed: mayHaveArrived) }
                reason = why
            }
            retries += 1
            switch await policy.waitBeforeRetry(retries, retryAfter: retryAfter, sleep: sleep) {
            case nil: continue
            case .cancelled: throw .unavailable("\(reason); cancelled while waiting to try again")
            case .spent, .waitTooLong: throw .unavailable(retries > 1 ? "\(reason) (after \(retries) attempts)" : reason)
            }
        }
    }

    /// The request body for a mode: the schema in `response_format`, or `json_object` with the keys
    /// said in the prompt, or the prompt alone.
    static func body(model: String, messages: [ChatMessage], schema: OutputSchema, mode: OutputMode, maxTokens: Int, temperature: Double) -> Data? {
        var all = messages
        if mode != .jsonSchema { all.append(.system(schema.instruction)) }
        var body: [String: Any] = [
            "model": model,
            "messages": all.map { ["role": $0.role, "content": $0.content] },
            "temperature": temperature,
            "max_tokens": maxTokens,
        ]
        switch mode {
        case .jsonSchema:
            body["response_format"] = ["type": "json_schema", "json_schema": ["name": schema.name, "strict": true, "schema": schema.jsonSchema]]
        case .jsonObject: body["response_format"] = ["type": "json_object"]
        case .prompt: break
        }
        return try? JSONSerialization.data(withJSONObject: body)
    }

    /// Reads a 200 answer: the first choice's content, decoded as a JSON object, and the tokens it
    /// cost. An answer that holds no usable object (cut at the token limit, refused, not JSON) is still
    /// returned, with its tokens and the ``ChatCompletion/problem``: it was paid for.
    static func completion(_ data: Data, model: String, mode: OutputMode) -> ChatCompletion {
        let answer = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let usage = answer?["usage"] as? [String: Any]
        var completion = ChatCompletion(
            object: [:], content: "", model: answer?["model"] as? String ?? model,
            promptTokens: usage?["prompt_tokens"] as? Int ?? 0, completionTokens: usage?["completion_tokens"] as? Int ?? 0,
            usageReported: usage?["prompt_tokens"] is Int, mode: mode, requests: 1, problem: nil)
        guard let choice = (answer?["choices"] as? [[String: Any]])?.first, let message = choice["message"] as? [String: Any] else {
            completion.problem = "the answer has no choices[0].message"
            return completion
        }
        if let refusal = message["refusal"] as? String, !refusal.isEmpty {
            completion.problem = "the model refused: \(ErrorText.oneLine(refusal))"
        } else if choice["finish_reason"] as? String == "length" {
            completion.problem = "the answer was cut at the token limit"
        } else if let content = message["content"] as? String {
            completion.content = content
            do { completion.object = try decodeObject(content) } catch { completion.problem = error.reason }
        } else {
            completion.problem = "the message has no text content"
        }
        return completion
    }

    /// The JSON object in a message's text (a Markdown code fence around it is tolerated), its values
    /// as text: strings as they are, numbers in decimal; anything else is not an agent's answer.
    static func decodeObject(_ content: String) throws(Unreadable) -> [String: String] {
        var text = content.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("```") {
            text = String(text.drop { $0 != "\n" }.dropFirst())
            if text.hasSuffix("```") { text = String(text.dropLast(3)) }
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw Unreadable(reason: "the content is not a JSON object: \(ErrorText.oneLine(String(content.prefix(120))))")
        }
        var result: [String: String] = [:]
        for (key, value) in object {
            if let text = value as? String {
                result[key] = text
            } else if !(value is Bool), let number = value as? Int {
                result[key] = String(number)
            } else {
                throw Unreadable(reason: "\"\(key)\" is neither text nor a whole number")
            }
        }
        return result
    }

    /// Why a message's text is not an agent's answer.
    struct Unreadable: Error {
        var reason: String
    }

    /// The `error` object of a refusal: message, code and whether it names `response_format`.
    static func errorFields(_ data: Data) -> (message: String, code: String?, mentionsResponseFormat: Bool) {
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let error = object?["error"] as? [String: Any]
        let message =
            (error?["message"] as? String) ?? (object?["error"] as? String) ?? (object?["message"] as? String)
            ?? String(decoding: data.prefix(300), as: UTF8.self)
        let param = error?["param"] as? String ?? ""
        let mentions = (param + " " + message).lowercased()
        return (
            ErrorText.oneLine(message), error?["code"] as? String,
            mentions.contains("response_format") || mentions.contains("json_schema") || mentions.contains("json_object")
        )
    }
}

/// The output mode a ``ChatClient`` asks its server for, weakened once for good when refused.
actor OutputModes {
    private(set) var current = OutputMode.jsonSchema

    func weaken(to mode: OutputMode) {
        // Only ever weaker: two calls refused at once both land on the same mode.
        let order: [OutputMode] = [.jsonSchema, .jsonObject, .prompt]
        if let now = order.firstIndex(of: current), let next = order.firstIndex(of: mode), next > now { current = mode }
    }
}
