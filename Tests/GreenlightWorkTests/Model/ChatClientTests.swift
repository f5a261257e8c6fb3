import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Synchronization
import Testing
import GreenlightTestSupport

/// The model client against a fake OpenAI-compatible server on loopback: the request's shape and
/// the strict schema, the answer decoded twice with its tokens, the key only in the header; a server
/// that does not take `json_schema` moves the client to `json_object` and then to the prompt, for
/// good; 429 waits for `Retry-After`, a spent quota and a refused key are not retried, 5xx and
/// silence end in a clear reason.
@Suite("Model client", .timeLimit(.minutes(15)))
struct ChatClientTests {
    static let key = "sk-test-secret-key"
    static let schema = OutputSchema(name: "persona_output", fields: [("target_persona", .string), ("confidence", .integer)])

    /// A client of the fake whose waits between retries are recorded, not slept.
    static func client(_ base: String, timeout: Duration = .seconds(30), retries: Int = 3, waits: Waits? = nil) -> ChatClient {
        let settings = ModelSettings(baseURL: base, apiKey: key, smallModel: "small-1", largeModel: "large-1", timeout: timeout)
        return ChatClient(settings: settings, maxRetries: retries, sleep: { wait in waits?.record(wait) })
    }

    /// The waits a client asked for between retries.
    final class Waits: Sendable {
        private let value = Mutex<[Duration]>([])
        func record(_ wait: Duration) { value.withLock { $0.append(wait) } }
        var all: [Duration] { value.withLock { $0 } }
    }

    static let question: [ChatMessage] = [.system("You find the buyer persona."), .user("Company: Brightdesk, logistics.")]

    @Test("a strict json_schema request; the answer decoded twice, with its tokens; the key only in the header")
    func structured() async throws {
        try await FakeModel.run { fake, base in
            fake.queue(.object(["target_persona": "head of finance", "confidence": 4], promptTokens: 812, completionTokens: 24))
            let answer = try await Self.client(base).complete(model: "small-1", messages: Self.question, schema: Self.schema)
            #expect(answer.object == ["target_persona": "head of finance", "confidence": "4"])
            #expect(
                answer.promptTokens == 812 && answer.completionTokens == 24 && answer.usageReported && answer.mode == .jsonSchema
                    && answer.requests == 1)
            #expect(fake.problems.isEmpty, "\(fake.problems)")
            #expect(fake.format(0) == "json_schema" && fake.requests[0]["model"] as? String == "small-1")
            #expect(fake.authorizations == ["Bearer \(Self.key)"])
            let settings = ModelSettings(baseURL: base, apiKey: Self.key, smallModel: "s", largeModel: "l")
            #expect(!settings.description.contains(Self.key) && settings.description.contains("key set"))
        }
    }

    @Test("a server without json_schema: json_object, then the prompt alone — found once and remembered")
    func modeFallback() async throws {
        try await FakeModel.run { fake, base in
            fake.set { $0.supported = [.prompt] }
            fake.queue(
                .text("```json\n{\"target_persona\": \"ap manager\", \"confidence\": 3}\n```"), .object(["target_persona": "cfo", "confidence": 5]))
            let client = Self.client(base)
            let first = try await client.complete(model: "small-1", messages: Self.question, schema: Self.schema)
            #expect(
                first.mode == .prompt && first.requests == 3 && first.object["target_persona"] == "ap manager", "a code fence around the JSON is read"
            )
            #expect((0..<3).map(fake.format) == ["json_schema", "json_object", "prompt"])
            #expect(
                fake.messages(2).last?.contains("Answer with one JSON object and nothing else, with exactly these keys: \"target_persona\"") == true,
                "without a schema the prompt names the keys")
            let second = try await client.complete(model: "small-1", messages: Self.question, schema: Self.schema)
            #expect(second.requests == 1 && fake.format(3) == "prompt" && second.object["confidence"] == "5", "remembered: no second refusal")
            #expect(await client.mode == .prompt)
        }
    }

    @Test("429 waits at least its Retry-After; a spent quota and a refused key are not retried; 5xx and silence end in a clear reason")
    func failures() async throws {
        try await FakeModel.run { fake, base in
            let waits = Waits()
            fake.queue(.status(429, retryAfter: 2), .object(["target_persona": "cfo", "confidence": 5]))
            let retried = try await Self.client(base, waits: waits).complete(model: "small-1", messages: Self.question, schema: Self.schema)
            #expect(retried.requests == 2 && waits.all.count == 1 && waits.all[0] >= .seconds(2), "\(waits.all)")

            fake.queue(.status(429, code: "insufficient_quota"))
            let before = fake.requests.count
            await #expect(throws: ModelError.quota("status 429")) {
                try await Self.client(base).complete(model: "small-1", messages: Self.question, schema: Self.schema)
            }
            #expect(fake.requests.count == before + 1, "no retry: waiting does not bring quota back")

            fake.queue(.status(401))
            let refused = await #expect(throws: ModelError.self) {
                try await Self.client(base).complete(model: "small-1", messages: Self.question, schema: Self.schema)
            }
            #expect(refused == .refusedKey("status 401") && refused?.description.contains(Self.key) == false && refused?.stopsCalls == true)

            fake.set { $0.otherwise = .status(503) }
            let down = await #expect(throws: ModelError.self) {
                try await Self.client(base, retries: 3).complete(model: "small-1", messages: Self.question, schema: Self.schema)
            }
            #expect(
                down?.description.contains("answered 503") == true && down?.description.contains("after 4 attempts") == true,
                "\(String(describing: down))")

            // An answer that came but is unusable is returned with its tokens (they were paid for) and why.
            fake.queue(.cut)
            let cut = try await Self.client(base).complete(model: "small-1", messages: Self.question, schema: Self.schema)
            #expect(cut.problem == "the answer was cut at the token limit" && cut.completionTokens == 600 && cut.object.isEmpty)
            fake.queue(.refusal("I can't help with that."))
            let refusal = try await Self.client(base).complete(model: "small-1", messages: Self.question, schema: Self.schema)
            #expect(refusal.problem == "the model refused: I can't help with that.")
            #expect(fake.problems.isEmpty, "\(fake.problems)")

            // Last: a request given up on may still reach the fake later (a slow machine), and must find nothing scripted to take.
            fake.set { $0.otherwise = .silence }
            let silent = await #expect(throws: ModelError.self) {
                try await Self.client(base, timeout: .milliseconds(300), retries: 1).complete(
                    model: "small-1", messages: Self.question, schema: Self.schema)
            }
            #expect(silent?.description.contains("did not answer within") == true, "\(String(describing: silent))")

        }
    }
}
