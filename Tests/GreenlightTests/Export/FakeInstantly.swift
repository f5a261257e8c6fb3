import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// Instantly's API V2 on loopback, as ../shared/reference/sequencers.md describes it: bearer keys,
/// campaigns (create, search by name, activate), leads added in bulk with `skip_if_in_campaign`, read
/// back with `POST /api/v2/leads/list`, JSON errors. It counts every lead it was sent, and can refuse
/// the key, answer 429 with `Retry-After`, or fail with 500 once it has taken N leads.
final class FakeInstantly: @unchecked Sendable {
    struct Campaign {
        var id: String
        var name: String
        var body: [String: Any]
        var status = 0
        var leads: [String: String] = [:]
    }

    private let lock = NSLock()
    private var campaigns: [Campaign] = []
    private var received: [String: Int] = [:]
    private var customVariables: [String: [String: String]] = [:]
    private var requestCount = 0
    private var nextID = 1

    /// The key it accepts; any other gets 401.
    var key = "instantly-test-key"
    /// The next this many requests get 429 with `Retry-After: 1`.
    var rateLimited = 0
    /// Once this many leads were taken, `leads/add` answers 500 (until set back to nil).
    var failAfterLeads: Int?

    func set(_ change: (FakeInstantly) -> Void) { lock.withLock { change(self) } }

    /// How many times each address was sent in `leads/add` (lower-cased).
    var receivedCounts: [String: Int] { lock.withLock { received } }
    var allCampaigns: [Campaign] { lock.withLock { campaigns } }
    /// The custom variables each address last arrived with.
    var variables: [String: [String: String]] { lock.withLock { customVariables } }
    var requests: Int { lock.withLock { requestCount } }

    /// Starts the fake, runs `body` with its base URL, stops it.
    static func run<T: Sendable>(_ body: @escaping @Sendable (FakeInstantly, String) async throws -> T) async throws -> T {
        let fake = FakeInstantly()
        let router = Router()
        for method in [HTTPRequest.Method.post, .get] {
            router.on("/**", method: method) { request, _ in try await fake.answer(request) }
        }
        var logger = Logger(label: "fake-instantly")
        logger.logLevel = .error
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        return try await app.test(.live) { client in
            guard let port = client.port else { throw FakeError("the fake Instantly has no port") }
            return try await body(fake, "http://127.0.0.1:\(port)")
        }
    }

    struct FakeError: Error { var message: String; init(_ message: String) { self.message = message } }

    private func answer(_ request: Request) async throws -> Response {
        let bytes = try await request.body.collect(upTo: 32 << 20)
        let body = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
        let path = request.uri.path
        let query = request.uri.queryParameters
        let authorised = request.headers[.authorization] == "Bearer \(lock.withLock { key })"
        enum Step { case reply(Int, Any), limited }
        let step: Step = lock.withLock {
            requestCount += 1
            if rateLimited > 0 {
                rateLimited -= 1
                return .limited
            }
            guard authorised else { return .reply(401, ["statusCode": 401, "error": "Unauthorized", "message": "Invalid API key"]) }
            switch (request.method, path) {
            case (.get, "/api/v2/accounts"):
                return .reply(200, ["items": [["email": "hannah@northwind.example", "status": 1]], "next_starting_after": NSNull()])
            case (.get, "/api/v2/campaigns"):
                let search = query["search"].map(String.init) ?? ""
                let items = campaigns.filter { search.isEmpty || $0.name.contains(search) }.map { ["id": $0.id, "name": $0.name, "status": $0.status] as [String: Any] }
                return .reply(200, ["items": items])
            case (.post, "/api/v2/campaigns"):
                guard let name = body["name"] as? String, body["campaign_schedule"] != nil else {
                    return .reply(400, ["statusCode": 400, "error": "Bad Request", "message": "name and campaign_schedule are required"])
                }
                let id = "cmp-\(nextID)"
                nextID += 1
                campaigns.append(Campaign(id: id, name: name, body: body))
                return .reply(200, ["id": id, "name": name, "status": 0])
            case (.post, "/api/v2/leads/add"):
                guard let campaignID = body["campaign_id"] as? String, let index = campaigns.firstIndex(where: { $0.id == campaignID }) else {
                    return .reply(404, ["statusCode": 404, "error": "Not Found", "message": "campaign not found"])
                }
                let leads = body["leads"] as? [[String: Any]] ?? []
                guard leads.count <= 1000 else { return .reply(400, ["statusCode": 400, "message": "at most 1000 leads per call"]) }
                let taken = received.values.reduce(0, +)
                if let limit = failAfterLeads, taken >= limit { return .reply(500, ["statusCode": 500, "error": "Internal Server Error", "message": "upstream failure"]) }
                var created: [[String: Any]] = []
                var skipped = 0
                for lead in leads {
                    guard let email = (lead["email"] as? String)?.lowercased() else { continue }
                    received[email, default: 0] += 1
                    customVariables[email] = lead["custom_variables"] as? [String: String]
                    if campaigns[index].leads[email] != nil, body["skip_if_in_campaign"] as? Bool == true {
                        skipped += 1
                        continue
                    }
                    let id = "lead-\(nextID)"
                    nextID += 1
                    campaigns[index].leads[email] = id
                    created.append(["id": id, "email": email, "custom_variables": lead["custom_variables"] ?? [:]])
                }
                return .reply(200, ["total_sent": leads.count, "leads_uploaded": created.count, "skipped_count": skipped, "created_leads": created])
            case (.post, "/api/v2/leads/list"):
                guard let campaignID = body["campaign"] as? String, let campaign = campaigns.first(where: { $0.id == campaignID }) else {
                    return .reply(200, ["items": []])
                }
                let wanted = Set((body["contacts"] as? [String] ?? []).map { $0.lowercased() })
                let all = campaign.leads.filter { wanted.isEmpty || wanted.contains($0.key) }.sorted { $0.value < $1.value }
                let after = body["starting_after"] as? String
                let page = Array(all.drop { after != nil && $0.value <= after! }.prefix(body["limit"] as? Int ?? 100))
                return .reply(200, ["items": page.map { ["id": $0.value, "email": $0.key] }, "next_starting_after": (page.last?.value as Any?) ?? NSNull()])
            default:
                if request.method == .post, path.hasPrefix("/api/v2/campaigns/"), path.hasSuffix("/activate") {
                    let id = String(path.dropFirst("/api/v2/campaigns/".count).dropLast("/activate".count))
                    guard let index = campaigns.firstIndex(where: { $0.id == id }) else { return .reply(404, ["statusCode": 404, "message": "campaign not found"]) }
                    campaigns[index].status = 1
                    return .reply(200, ["id": id, "status": 1])
                }
                return .reply(404, ["statusCode": 404, "error": "Not Found", "message": "no route \(path)"])
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

    private static func json(_ status: Int, _ object: Any) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
        return Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
