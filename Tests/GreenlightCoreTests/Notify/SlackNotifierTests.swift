import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import Logging
import Testing
import GreenlightTestSupport

/// The Slack notifier against a fake Slack on loopback: what it sends, when it retries and how long
/// it waits, that it gives up in time, and that the webhook URL never reaches a log or a reason.
@Suite("Slack notifier", .timeLimit(.minutes(15)))
struct SlackNotifierTests {
    /// The path of a webhook URL holds its token: this is what must never be logged.
    static let token = "xoxTOKENsEcReT42"
    static let path = "/services/T0TEST/B0TEST/\(token)"

    /// Records the waits between tries and returns at once, so no test waits in real time.
    final class Sleeps: @unchecked Sendable {
        private let lock = NSLock()
        private var waits: [Duration] = []
        var all: [Duration] { lock.withLock { waits } }
        var sleep: SlackNotifier.Sleep {
            { duration in self.lock.withLock { self.waits.append(duration) } }
        }
    }

    /// Calls the fake answers get 30 s: in the full parallel run a loaded machine once took more than
    /// 5 s to answer over loopback. Only the tests of silence pass a short timeout.
    static func notifier(_ sleeps: Sleeps, logs: CapturedLogs = CapturedLogs(), timeout: Duration = .seconds(30)) -> SlackNotifier {
        SlackNotifier(policy: RetryPolicy(timeout: timeout), logger: logs.logger(), sleep: sleeps.sleep)
    }

    /// JSON text in one canonical form (keys sorted, no spaces), to compare two documents whole.
    static func json(_ text: String) throws -> String {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test("a message is posted once as JSON (text and blocks) to the webhook's path and reported delivered")
    func delivers() async throws {
        try await FakeSlack.run([.ok]) { slack, base in
            let sleeps = Sleeps()
            let message = SlackMessage(
                "Northwind demoted to phase 2",
                blocks: [
                    .header("Rollout"), .section("*Northwind* demoted: approval rate 61 %"), .divider, .context("by the gate"),
                ])
            let outcome = await Self.notifier(sleeps).send(message, to: base + Self.path)
            #expect(outcome == .delivered)
            let requests = slack.requests
            #expect(requests.count == 1)
            let request = try #require(requests.first)
            #expect(request.method == "POST")
            #expect(request.path == Self.path)
            #expect(request.contentType == "application/json")
            let expected = """
                {"text": "Northwind demoted to phase 2", "blocks": [
                  {"type": "header", "text": {"type": "plain_text", "text": "Rollout"}},
                  {"type": "section", "text": {"type": "mrkdwn", "text": "*Northwind* demoted: approval rate 61 %"}},
                  {"type": "divider"},
                  {"type": "context", "elements": [{"type": "mrkdwn", "text": "by the gate"}]}
                ]}
                """
            #expect(try Self.json(request.body) == Self.json(expected))
            #expect(sleeps.all.isEmpty)

            // Plain text alone: no "blocks" key at all.
            #expect(await Self.notifier(sleeps).send("just text", to: base + Self.path) == .delivered)
            #expect(try Self.json(slack.requests[1].body) == Self.json(#"{"text": "just text"}"#))
        }
    }

    @Test("429 with Retry-After: 1, then 200: retried once, after a recorded wait of at least 1 s")
    func rateLimitedThenDelivered() async throws {
        try await FakeSlack.run([.rateLimited(retryAfter: 1), .ok]) { slack, base in
            let sleeps = Sleeps()
            let outcome = await Self.notifier(sleeps).send("hello", to: base + Self.path)
            #expect(outcome == .delivered)
            #expect(slack.requests.count == 2)
            #expect(slack.requests.map(\.body) == [#"{"text":"hello"}"#, #"{"text":"hello"}"#])
            let waits = sleeps.all
            #expect(waits.count == 1)
            // Retry-After plus at most half the first backoff (1 s) of jitter.
            #expect(waits.allSatisfy { $0 >= .seconds(1) && $0 <= .milliseconds(1500) }, "waits: \(waits)")
        }
    }

    @Test("three 500s: failed after 3 attempts, with backoff that doubles between them")
    func serverErrorsGiveUp() async throws {
        try await FakeSlack.run([.serverError]) { slack, base in
            let sleeps = Sleeps()
            let outcome = await Self.notifier(sleeps).send("hello", to: base + Self.path)
            guard case .failed(let reason) = outcome else {
                Issue.record("expected failed, got \(outcome)")
                return
            }
            #expect(reason.contains("500") && reason.contains("3 attempts"), "\(reason)")
            #expect(slack.requests.count == 3)
            let waits = sleeps.all
            #expect(waits.count == 2)
            // Equal jitter: between half and all of 1 s, then of 2 s.
            #expect(
                waits.count == 2 && waits[0] >= .milliseconds(500) && waits[0] <= .seconds(1) && waits[1] >= .seconds(1) && waits[1] <= .seconds(2),
                "waits: \(waits)")
        }
    }

    @Test("a 4xx such as 404 no_service is not retried, and its reason is Slack's")
    func clientErrorIsFinal() async throws {
        try await FakeSlack.run([.status(404, "no_service")]) { slack, base in
            let sleeps = Sleeps()
            let outcome = await Self.notifier(sleeps).send("hello", to: base + Self.path)
            #expect(outcome == .failed(reason: "Slack answered 404: no_service"))
            #expect(slack.requests.count == 1)
            #expect(sleeps.all.isEmpty)
        }
    }

    @Test("a Retry-After longer than the policy's longest wait fails at once instead of holding the caller")
    func retryAfterTooLong() async throws {
        try await FakeSlack.run([.rateLimited(retryAfter: 120)]) { slack, base in
            let sleeps = Sleeps()
            let outcome = await Self.notifier(sleeps).send("hello", to: base + Self.path)
            guard case .failed(let reason) = outcome else {
                Issue.record("expected failed, got \(outcome)")
                return
            }
            #expect(reason.contains("429"), "\(reason)")
            #expect(slack.requests.count <= 1, "no retry (on a loaded machine the timeout can fire before the request arrives)")
            #expect(sleeps.all.isEmpty)
        }
    }

    @Test(
        "a server that never answers, or stops in the middle of the body, fails within the timeout, without a retry",
        arguments: [FakeSlack.Reply.hang, .hangBody])
    func timesOut(_ reply: FakeSlack.Reply) async throws {
        try await FakeSlack.run([reply]) { slack, base in
            let sleeps = Sleeps()
            let clock = ContinuousClock()
            let start = clock.now
            let outcome = await Self.notifier(sleeps, timeout: .milliseconds(300)).send("hello", to: base + Self.path)
            let elapsed = clock.now - start
            #expect(outcome == .failed(reason: "Slack did not answer within 300 ms"))
            #expect(elapsed >= .milliseconds(250) && elapsed < .seconds(10), "took \(elapsed)")
            #expect(slack.requests.count <= 1, "no retry (on a loaded machine the timeout can fire before the request arrives)")
            #expect(sleeps.all.isEmpty)
        }
    }

    @Test(
        "anything but an http(s) URL is refused before any request, without echoing it",
        arguments: [
            "ftp://hooks.slack.com/services/T0/B0/secret", "file:///etc/secret", "hooks.slack.com/services/T0/B0/secret",
            "javascript:secret", "", "https://", "not a url secret",
        ])
    func refusesOtherSchemes(_ url: String) async throws {
        let logs = CapturedLogs()
        let sleeps = Sleeps()
        let outcome = await Self.notifier(sleeps, logs: logs).send("hello", to: url)
        #expect(outcome == .failed(reason: "the Slack webhook is not an http:// or https:// URL"))
        #expect(!logs.text.contains("secret"))
        #expect(logs.text.contains("Slack notification failed"))
    }

    @Test("the webhook URL and its token appear in no log line and no failure reason, whatever happens")
    func urlNeverLogged() async throws {
        let logs = CapturedLogs()
        // Delivered; three 500s; a 404 echoing the path; 429 then delivered; a hang.
        var reasons = try await FakeSlack.run([.ok, .serverError, .serverError, .serverError, .echoPath, .rateLimited(retryAfter: 0), .ok, .hang]) {
            _, base in
            // A long timeout for the calls that answer (a loaded machine must not turn them into timeouts),
            // a short one for the hang.
            let notifier = Self.notifier(Sleeps(), logs: logs, timeout: .seconds(30))
            var reasons: [String] = []
            for _ in 0..<4 {
                if case .failed(let reason) = await notifier.send("hello", to: base + Self.path) { reasons.append(reason) }
            }
            let hanging = Self.notifier(Sleeps(), logs: logs, timeout: .milliseconds(300))
            if case .failed(let reason) = await hanging.send("hello", to: base + Self.path) { reasons.append(reason) }
            return reasons
        }
        // Nothing listens on a port that was just closed: the client keeps trying to connect until the timeout.
        let closed = try await FakeSlack.run([.ok]) { _, base in base }
        let refused = await Self.notifier(Sleeps(), logs: logs, timeout: .milliseconds(300)).send("hello", to: closed + Self.path)
        if case .failed(let reason) = refused { reasons.append(reason) }

        // 500s, 404 echoing the path, hang, connection refused.
        #expect(reasons.count == 4, "\(reasons)")
        #expect(reasons.contains { $0.contains("<webhook>") }, "the echoed path is redacted: \(reasons)")
        let text = logs.text
        #expect(text.contains("Slack notification failed") && text.contains("Slack notification will be retried") && text.contains("delivered"))
        for secret in [Self.token, "B0TEST/", "/services/"] {
            #expect(!text.contains(secret), "\(secret) in the logs:\n\(text)")
            #expect(!reasons.contains { $0.contains(secret) }, "\(secret) in a reason: \(reasons)")
        }
    }

    @Test("backoff: doubles per retry up to the cap, jitter within half of it, Retry-After never shortened")
    func backoff() {
        let policy = RetryPolicy(baseDelay: .seconds(1), maxDelay: .seconds(4))
        #expect(policy.delay(beforeRetry: 1, retryAfter: nil, random: 0) == .milliseconds(500))
        #expect(policy.delay(beforeRetry: 1, retryAfter: nil, random: 0.999_999) ?? .zero < .seconds(1))
        #expect(policy.delay(beforeRetry: 2, retryAfter: nil, random: 0) == .seconds(1))
        #expect(policy.delay(beforeRetry: 3, retryAfter: nil, random: 0) == .seconds(2))
        #expect(policy.delay(beforeRetry: 9, retryAfter: nil, random: 0) == .seconds(2), "capped at maxDelay")
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(3), random: 0) == .seconds(3))
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(3), random: 0.5) == .milliseconds(3250))
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(5), random: 0) == nil, "longer than maxDelay")
    }

    @Test("Slack's control characters are escaped in text a user or a model wrote")
    func escaping() {
        #expect(SlackMessage.escaped("<!channel> R&D <https://x|y>") == "&lt;!channel&gt; R&amp;D &lt;https://x|y&gt;")
    }
}
