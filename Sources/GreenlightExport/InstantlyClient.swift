import AsyncHTTPClient
import Foundation
import NIOHTTP1
import GreenlightCore

/// Instantly's API V2 (https://developer.instantly.ai/api/v2): bearer key, campaigns created as drafts
/// with their schedule (the client's time zone sent as a name Instantly takes, ``InstantlyTimeZone``) and sequence, leads added up to 1,000 per call with the reviewed email in
/// custom variables and `skip_if_in_campaign`, read back with `POST /api/v2/leads/list`.
public struct InstantlyClient: Sequencer {
    public static let defaultBaseURL = "https://api.instantly.ai"

    public let batchLimit: Int
    let baseURL: String
    let key: String
    let http: SequencerHTTP
    /// Now, for the time zone's clock over the years ahead.
    let clock: TimeSource

    /// - Parameters:
    ///   - baseURL: `https://api.instantly.ai` unless `GREENLIGHT_INSTANTLY_BASE_URL` (or a test) says otherwise.
    ///   - batchLimit: leads per call, at most 1,000 (Instantly's limit).
    public init(
        baseURL: String = defaultBaseURL, key: String, batchLimit: Int = 1_000, httpClient: HTTPClient = .shared,
        policy: RetryPolicy = RetryPolicy(timeout: .seconds(30), maxRetries: 5),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }, clock: TimeSource = .system
    ) {
        self.clock = clock
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.key = key
        self.batchLimit = min(max(1, batchLimit), 1_000)
        self.http = SequencerHTTP(httpClient: httpClient, policy: policy, sleep: sleep, vendor: "Instantly")
    }

    var auth: [(String, String)] { [("Authorization", "Bearer \(key)")] }

    /// Instantly's `days` keys: "0" is Sunday … "6" Saturday, the JavaScript convention its app uses.
    /// Kept in this one place (clients disagree) and covered by a test.
    static func dayKey(_ weekday: Int) -> String { String(weekday) }

    public func accounts() async throws(SequencerError) -> [String] {
        let answer = try await http.call(.GET, baseURL + "/api/v2/accounts?limit=100", headers: auth, kind: .read)
        return (answer["items"] as? [[String: Any]] ?? []).compactMap { $0["email"] as? String }
    }

    public func findCampaign(named name: String) async throws(SequencerError) -> String? {
        var cursor: String?
        for _ in 0..<100 {
            var query = "limit=100&search=" + Self.escape(name)
            if let cursor { query += "&starting_after=" + Self.escape(cursor) }
            let answer = try await http.call(.GET, baseURL + "/api/v2/campaigns?" + query, headers: auth, kind: .read)
            let items = answer["items"] as? [[String: Any]] ?? []
            if let match = items.first(where: { $0["name"] as? String == name }), let id = match["id"] as? String { return id }
            guard !items.isEmpty, let next = answer["next_starting_after"] as? String else { return nil }
            cursor = next
        }
        return nil
    }

    public func createCampaign(_ campaign: CampaignSpec) async throws(SequencerError) -> String {
        let mapping = InstantlyTimeZone.map(campaign.timezone, from: Clock.date(fromMillis: clock.nowMillis()))
        guard let timezone = mapping.name else {
            if case .none(let nearest) = mapping { throw .unsupported(InstantlyTimeZone.refusal(campaign.timezone, nearest: nearest)) }
            throw .unsupported("\(campaign.timezone) is not a time zone")
        }
        var days: [String: Bool] = [:]
        for day in campaign.days { days[Self.dayKey(day)] = true }
        let body: [String: Any] = [
            "name": campaign.name,
            "campaign_schedule": [
                "schedules": [["name": "Greenlight", "timing": ["from": campaign.from, "to": campaign.to], "days": days, "timezone": timezone]]
            ],
            "sequences": [
                [
                    "steps": campaign.steps.map { step in
                        ["type": "email", "delay": step.delayDays, "variants": [["subject": step.subject, "body": step.body]]] as [String: Any]
                    }
                ]
            ],
            "email_list": campaign.accounts,
            "daily_limit": campaign.dailyLimit,
            "stop_on_reply": campaign.stopOnReply,
        ]
        let answer = try await http.call(.POST, baseURL + "/api/v2/campaigns", headers: auth, json: body, kind: .write)
        guard let id = answer["id"] as? String, !id.isEmpty else { throw .unavailable("Instantly created the campaign but its answer has no id") }
        return id
    }

    /// Instantly creates a campaign with its schedule and sequence in one call: a campaign found by name is complete.
    public func completeCampaign(id: String, _ campaign: CampaignSpec) async throws(SequencerError) {}

    public func addLeads(_ leads: [SequencerLead], to campaignID: String) async throws(SequencerError) -> [String: String] {
        let body: [String: Any] = [
            "campaign_id": campaignID,
            "skip_if_in_campaign": true,
            "skip_if_in_workspace": false,
            "verify_leads_on_import": false,
            "leads": leads.map { lead in
                [
                    "email": lead.email, "first_name": lead.firstName, "last_name": lead.lastName, "company_name": lead.companyName,
                    "custom_variables": lead.variables,
                ] as [String: Any]
            },
        ]
        let answer = try await http.call(.POST, baseURL + "/api/v2/leads/add", headers: auth, json: body, kind: .write)
        return Self.idsByEmail(answer["created_leads"])
    }

    public func heldLeads(_ emails: [String], in campaignID: String) async throws(SequencerError) -> [String: String] {
        let wanted = Set(emails.map { $0.lowercased() })
        var found: [String: String] = [:]
        var cursor: String?
        for _ in 0..<10_000 {
            var body: [String: Any] = ["campaign": campaignID, "contacts": Array(wanted).sorted(), "limit": 100]
            if let cursor { body["starting_after"] = cursor }
            let answer = try await http.call(.POST, baseURL + "/api/v2/leads/list", headers: auth, json: body, kind: .read)
            let page = Self.idsByEmail(answer["items"])
            for (email, id) in page where wanted.contains(email) { found[email] = id }
            guard !page.isEmpty, found.count < wanted.count, let next = answer["next_starting_after"] as? String else { break }
            cursor = next
        }
        return found
    }

    public func activate(campaignID: String) async throws(SequencerError) {
        _ = try await http.call(
            .POST, baseURL + "/api/v2/campaigns/\(Self.escape(campaignID))/activate", headers: auth, json: [String: Any](), kind: .write)
    }

    static func idsByEmail(_ value: Any?) -> [String: String] {
        var result: [String: String] = [:]
        for lead in value as? [[String: Any]] ?? [] {
            if let email = lead["email"] as? String, let id = lead["id"] as? String { result[email.lowercased()] = id }
        }
        return result
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
