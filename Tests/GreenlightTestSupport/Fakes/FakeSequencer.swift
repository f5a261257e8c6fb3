import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// A sequencer on loopback — Instantly's API V2 or Smartlead's API v1, as their published API
/// references describe them (routes in the two extensions). It keeps what a
/// test asks about in one shape for both (campaigns with their steps, schedule and leads), counts
/// every lead it was sent, and can refuse the key, answer 429 with `Retry-After`, fail with 500 once
/// it has taken N leads or on a campaign start, answer slowly, hold requests at a gate until the
/// test opens it, or carry out a request and never answer it.
package final class FakeSequencer: @unchecked Sendable {
    /// Which API it speaks.
    package enum Vendor: String, CaseIterable, Sendable, CustomStringConvertible {
        case instantly, smartlead
        package var description: String { rawValue }
    }

    /// A campaign as either API described it.
    package struct Campaign {
        package struct Step: Equatable {
            package var delay: Int
            package var subject: String
            package var body: String

            package init(delay: Int, subject: String, body: String) {
                self.delay = delay
                self.subject = subject
                self.body = body
            }
        }
        package var id: String
        package var name: String
        /// 0 draft, 1 started.
        package var status = 0
        package var steps: [Step] = []
        package var timezone = ""
        package var days: [Int] = []
        package var accounts: [String] = []
        var dailyLimit = 0
        package var stopOnReply = false
        /// Lead id by address (lower-cased), and the addresses in the order they came.
        package var leads: [String: String] = [:]
        package var order: [String] = []
    }

    package let vendor: Vendor
    let lock = NSLock()
    package var campaigns: [Campaign] = []
    var received: [String: Int] = [:]
    var customVariables: [String: [String: String]] = [:]
    var requestCount = 0
    /// Each lead's state as `leads/list` answers it, by "campaign address" (what ``happen(_:)`` made).
    var leadStates: [String: [String: Any]] = [:]
    /// The webhooks created through the API, as Instantly answers them.
    var webhooks: [[String: Any]] = []
    var nextID = 1
    private var hung: [CheckedContinuation<Void, Never>] = []
    private var gated: [CheckedContinuation<Void, Never>] = []
    private var stopped = false

    /// The key it accepts; any other gets 401.
    package var key: String
    /// The next this many requests get 429 with `Retry-After: 1`.
    package var rateLimited = 0
    /// Once this many leads were taken, lead uploads answer 500 (until set back to nil).
    package var failAfterLeads: Int?
    /// The next request whose path ends with this is carried out but never answered (until the fake stops).
    package var hangOn: String?
    /// The next request whose path ends with this answers 500 without being carried out.
    package var failOn: String?
    /// How long every answer waits (a slow sequencer).
    package var latency: Duration = .zero
    /// The next this many campaign starts answer 500.
    package var failActivations = 0
    /// Requests whose path ends with this wait, carried out, until ``openGate()`` (or the fake stops).
    package var gateOn: String?
    /// How many requests wait at the gate now.
    var waitingAtGate = 0
    /// Where it listens, e.g. `http://127.0.0.1:41234`.
    package var baseURL = ""
    /// The sending accounts the workspace has.
    var accounts = ["hannah@northwind.example"]

    init(_ vendor: Vendor) {
        self.vendor = vendor
        self.key = "\(vendor)-test-key"
    }

    package func set(_ change: (FakeSequencer) -> Void) { lock.withLock { change(self) } }

    /// How many times each address was sent in a lead upload (lower-cased).
    package var receivedCounts: [String: Int] { lock.withLock { received } }
    package var allCampaigns: [Campaign] { lock.withLock { campaigns } }
    /// The custom variables each address last arrived with.
    package var variables: [String: [String: String]] { lock.withLock { customVariables } }
    package var requests: Int { lock.withLock { requestCount } }
    /// The webhooks created through the API.
    package var createdWebhooks: [[String: String]] {
        lock.withLock { webhooks.map { $0.compactMapValues { ($0 as? String) ?? ($0 as? Int).map(String.init) } } }
    }

    /// Makes a webhook created through the API disabled, as the vendor does after failed deliveries.
    package func disableWebhooks() { lock.withLock { for index in webhooks.indices { webhooks[index]["status"] = -1 } } }

    /// Starts a fake of `vendor`, runs `body` with it and its base URL, stops it.
    package static func run<T: Sendable>(_ vendor: Vendor = .instantly, _ body: @escaping @Sendable (FakeSequencer, String) async throws -> T)
        async throws
        -> T
    {
        let fake = FakeSequencer(vendor)
        let router = Router()
        for method in [HTTPRequest.Method.post, .get] {
            router.on("/**", method: method) { request, _ in try await fake.answer(request) }
        }
        var logger = Logger(label: "fake-\(vendor)")
        logger.logLevel = .error
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        return try await app.test(.live) { client in
            guard let port = client.port else { throw FakeError("the fake \(vendor) has no port") }
            fake.set { $0.baseURL = "http://127.0.0.1:\(port)" }
            do {
                let result = try await body(fake, "http://127.0.0.1:\(port)")
                fake.releaseHung()
                return result
            } catch {
                fake.releaseHung()
                throw error
            }
        }
    }

    package struct FakeError: Error { var message: String; init(_ message: String) { self.message = message } }

    /// What a route decided: an answer, or 429.
    package enum Step { case reply(Int, Any), limited }

    /// Whether a lead upload must fail with 500 now (it has taken `failAfterLeads`).
    var failing: Bool {
        guard let limit = failAfterLeads else { return false }
        return received.values.reduce(0, +) >= limit
    }

    /// Adds a lead to a campaign unless it holds the address; returns the new id, nil when it was there.
    func add(_ email: String, variables: [String: String]?, to index: Int) -> String? {
        received[email, default: 0] += 1
        customVariables[email] = variables
        guard campaigns[index].leads[email] == nil else { return nil }
        let id = vendor == .instantly ? "lead-\(nextID)" : String(nextID)
        nextID += 1
        campaigns[index].leads[email] = id
        campaigns[index].order.append(email)
        return id
    }

    private func answer(_ request: Request) async throws -> Response {
        let bytes = try await request.body.collect(upTo: 32 << 20)
        let body = try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))
        let wait = lock.withLock { latency }
        if wait > .zero { try await Task.sleep(for: wait) }
        let (step, hangs, gate): (Step, Bool, Bool) = lock.withLock {
            requestCount += 1
            if rateLimited > 0 {
                rateLimited -= 1
                return (.limited, false, false)
            }
            if let suffix = failOn, request.uri.path.hasSuffix(suffix) {
                failOn = nil
                return (.reply(500, ["statusCode": 500, "error": "Internal Server Error", "message": "upstream failure"]), false, false)
            }
            let step = vendor == .instantly ? instantly(request, body as? [String: Any] ?? [:]) : smartlead(request, body)
            let gate = gateOn.map { request.uri.path.hasSuffix($0) } ?? false
            if gate { waitingAtGate += 1 }
            guard let suffix = hangOn, request.uri.path.hasSuffix(suffix) else { return (step, false, gate) }
            hangOn = nil
            return (step, true, gate)
        }
        if gate {
            await withCheckedContinuation { continuation in
                let release = lock.withLock { () -> Bool in
                    if stopped || gateOn == nil { return true }
                    gated.append(continuation)
                    return false
                }
                if release { continuation.resume() }
            }
            lock.withLock { waitingAtGate -= 1 }
        }
        if hangs {
            await withCheckedContinuation { continuation in
                let release = lock.withLock { () -> Bool in
                    if stopped { return true }
                    hung.append(continuation)
                    return false
                }
                if release { continuation.resume() }
            }
        }
        switch step {
        case .limited:
            var response = Self.json(429, ["statusCode": 429, "error": "Too Many Requests", "message": "rate limit exceeded"])
            response.headers[.retryAfter] = "1"
            return response
        case .reply(let status, let object):
            return Self.json(status, object)
        }
    }

    /// Waits (30 s at most) until `count` requests wait at the gate.
    package func waitAtGate(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while lock.withLock({ waitingAtGate }) < count {
            guard ContinuousClock.now < deadline else { throw FakeError("\(count) requests did not reach the gate within 30 s") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Lets the requests waiting at the gate be answered, and no more wait there.
    package func openGate() {
        let waiting = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            gateOn = nil
            defer { gated = [] }
            return gated
        }
        for continuation in waiting { continuation.resume() }
    }

    private func releaseHung() {
        openGate()
        let waiting = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            stopped = true
            defer { hung = [] }
            return hung
        }
        for continuation in waiting { continuation.resume() }
    }

    static func json(_ status: Int, _ object: Any) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
        return Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
