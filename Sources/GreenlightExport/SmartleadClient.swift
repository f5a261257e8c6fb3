import AsyncHTTPClient
import Foundation
import NIOHTTP1
import GreenlightCore

/// Smartlead's API v1 (https://api.smartlead.ai/reference): the key as the `api_key` query parameter;
/// a campaign is created by name, then given its sequence, schedule, sending accounts and stop rule in
/// calls that each replace what was there (so repeating them after a crash is harmless); leads go in
/// batches of up to 400 with the reviewed email in custom fields. Its answer to an upload carries
/// counts, not ids: the new leads' ids are read back from the campaign's lead list, starting where
/// the list ended before the upload.
public struct SmartleadClient: Sequencer {
    public static let defaultBaseURL = "https://server.smartlead.ai"

    public let batchLimit: Int
    let baseURL: String
    let key: String
    /// Rows per page when listing a campaign's leads or the sending accounts (Smartlead's pages hold 100).
    let pageSize: Int
    let http: SequencerHTTP

    /// - Parameters:
    ///   - baseURL: `https://server.smartlead.ai` unless `GREENLIGHT_SMARTLEAD_BASE_URL` (or a test) says otherwise; paths go under `/api/v1`.
    ///   - batchLimit: leads per upload, at most 400 (Smartlead's limit).
    public init(
        baseURL: String = defaultBaseURL, key: String, batchLimit: Int = 400, pageSize: Int = 100, httpClient: HTTPClient = .shared,
        policy: RetryPolicy = RetryPolicy(timeout: .seconds(30), maxRetries: 5),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.baseURL = (baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL) + "/api/v1"
        self.key = key
        self.batchLimit = min(max(1, batchLimit), 400)
        self.pageSize = max(1, pageSize)
        self.http = SequencerHTTP(httpClient: httpClient, policy: policy, sleep: sleep, vendor: "Smartlead")
    }

    /// Smartlead's `days_of_the_week`: 0 is Sunday … 6 Saturday (its example's `[1,2,3,4,5]` is Monday
    /// to Friday). Kept in this one place and covered by a test.
    static func dayNumber(_ weekday: Int) -> Int { weekday }

    private func url(_ path: String, _ query: [(String, String)] = []) -> String {
        baseURL + path + "?" + ([("api_key", key)] + query).map { "\($0.0)=\(InstantlyClient.escape($0.1))" }.joined(separator: "&")
    }

    public func accounts() async throws(SequencerError) -> [String] {
        try await accountIDs().map(\.email)
    }

    /// Every sending account with its id, page by page.
    private func accountIDs() async throws(SequencerError) -> [(email: String, id: Int)] {
        var found: [(email: String, id: Int)] = []
        for page in 0..<1_000 {
            let rows = try await http.callList(
                .GET, url("/email-accounts", [("offset", String(page * pageSize)), ("limit", String(pageSize))]), kind: .read)
            for row in rows {
                if let email = row["from_email"] as? String, let id = Self.int(row["id"]) { found.append((email, id)) }
            }
            if rows.count < pageSize { break }
        }
        return found
    }

    public func findCampaign(named name: String) async throws(SequencerError) -> String? {
        let rows = try await http.callList(.GET, url("/campaigns"), kind: .read)
        return rows.first { $0["name"] as? String == name }.flatMap { Self.int($0["id"]) }.map(String.init)
    }

    public func createCampaign(_ campaign: CampaignSpec) async throws(SequencerError) -> String {
        let answer = try await http.call(.POST, url("/campaigns/create"), json: ["name": campaign.name], kind: .write)
        guard let id = Self.int(answer["id"]) else { throw .unavailable("Smartlead created the campaign but its answer has no id") }
        try await completeCampaign(id: String(id), campaign)
        return String(id)
    }

    /// Sets the sequence, the schedule, the sending accounts and the stop rule; each call replaces
    /// what the campaign had, so a campaign an interrupted run created is completed by doing it again.
    public func completeCampaign(id: String, _ campaign: CampaignSpec) async throws(SequencerError) {
        let path = "/campaigns/" + InstantlyClient.escape(id)
        let steps: [[String: Any]] = campaign.steps.enumerated().map { index, step in
            ["seq_number": index + 1, "seq_delay_details": ["delay_in_days": step.delayDays], "subject": step.subject, "email_body": step.body]
        }
        _ = try await http.call(.POST, url(path + "/sequences"), json: ["sequences": steps], kind: .write)
        _ = try await http.call(
            .POST, url(path + "/schedule"),
            json: [
                "timezone": campaign.timezone, "days_of_the_week": campaign.days.map(Self.dayNumber).sorted(),
                "start_hour": campaign.from, "end_hour": campaign.to, "min_time_btw_emails": 10, "max_new_leads_per_day": campaign.dailyLimit,
            ] as [String: Any], kind: .write)
        if !campaign.accounts.isEmpty {
            let known = try await accountIDs()
            var ids: [Int] = []
            for account in campaign.accounts {
                guard let match = known.first(where: { $0.email.lowercased() == account.lowercased() }) else {
                    throw .rejected(
                        status: 404,
                        message: "Smartlead has no sending account \(account): connect it in Smartlead or change the client's sending accounts")
                }
                ids.append(match.id)
            }
            _ = try await http.call(.POST, url(path + "/email-accounts"), json: ["email_account_ids": ids], kind: .write)
        }
        if campaign.stopOnReply {
            _ = try await http.call(.POST, url(path + "/settings"), json: ["stop_lead_settings": "REPLY_TO_AN_EMAIL"], kind: .write)
        }
    }

    public func addLeads(_ leads: [SequencerLead], to campaignID: String) async throws(SequencerError) -> [String: String] {
        let path = "/campaigns/" + InstantlyClient.escape(campaignID) + "/leads"
        // Where the campaign's list ends now: the new leads are read back from there.
        let before = try await http.call(.GET, url(path, [("offset", "0"), ("limit", "1")]), kind: .read)
        let start = Self.int(before["total_leads"]) ?? 0
        let body: [String: Any] = [
            "lead_list": leads.map { lead in
                [
                    "email": lead.email, "first_name": lead.firstName, "last_name": lead.lastName, "company_name": lead.companyName,
                    "custom_fields": lead.variables,
                ] as [String: Any]
            },
            "settings": ["ignore_global_block_list": false, "ignore_unsubscribe_list": false, "ignore_duplicate_leads_in_other_campaign": true],
        ]
        _ = try await http.call(.POST, url(path), json: body, kind: .write)
        let wanted = Set(leads.map { $0.email.lowercased() })
        return try await leadIDs(path: path, from: start, wanted: wanted)
    }

    public func heldLeads(_ emails: [String], in campaignID: String) async throws(SequencerError) -> [String: String] {
        try await leadIDs(path: "/campaigns/" + InstantlyClient.escape(campaignID) + "/leads", from: 0, wanted: Set(emails.map { $0.lowercased() }))
    }

    /// The ids of the wanted addresses among the campaign's leads, listed from `offset` to the end.
    private func leadIDs(path: String, from offset: Int, wanted: Set<String>) async throws(SequencerError) -> [String: String] {
        var found: [String: String] = [:]
        var offset = offset
        while found.count < wanted.count {
            let answer = try await http.call(.GET, url(path, [("offset", String(offset)), ("limit", String(pageSize))]), kind: .read)
            let rows = answer["data"] as? [[String: Any]] ?? []
            for row in rows {
                guard let lead = row["lead"] as? [String: Any], let email = (lead["email"] as? String)?.lowercased(), wanted.contains(email),
                    let id = Self.int(lead["id"])
                else { continue }
                found[email] = String(id)
            }
            if rows.count < pageSize { break }
            offset += rows.count
        }
        return found
    }

    public func activate(campaignID: String) async throws(SequencerError) {
        _ = try await http.call(.POST, url("/campaigns/" + InstantlyClient.escape(campaignID) + "/status"), json: ["status": "START"], kind: .write)
    }

    /// Smartlead writes numbers sometimes as numbers, sometimes as strings (`"total_leads": "12"`).
    static func int(_ value: Any?) -> Int? {
        if let number = value as? Int { return number }
        if let text = value as? String { return Int(text) }
        return nil
    }
}
