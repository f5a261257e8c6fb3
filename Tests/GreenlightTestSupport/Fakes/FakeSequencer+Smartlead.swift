import Foundation
import Hummingbird

/// Smartlead's API v1: the key as `?api_key=`, campaigns created by name and then given a sequence,
/// a schedule, sending accounts (by id) and settings in calls that each replace what was there; leads
/// uploaded up to 400 per call, answered with counts only, read back page by page from the
/// campaign's list (`{"total_leads": "N", "data": [{"lead": {"id", "email"}}]}`).
extension FakeSequencer {
    func smartlead(_ request: Request, _ json: Any?) -> Step {
        let body = json as? [String: Any] ?? [:]
        let query = request.uri.queryParameters
        guard query["api_key"].map(String.init) == key else { return .reply(401, ["message": "Invalid API key"]) }
        let parts = request.uri.path.split(separator: "/").map(String.init)
        guard parts.count >= 3, parts[0] == "api", parts[1] == "v1" else { return .reply(404, ["message": "no route \(request.uri.path)"]) }
        let route = Array(parts.dropFirst(2))
        func accountID(_ email: String) -> Int { 100 + (accounts.firstIndex(of: email) ?? 0) }
        switch (request.method, route.first, route.count) {
        case (.get, "email-accounts", 1):
            let offset = query["offset"].flatMap { Int(String($0)) } ?? 0
            let limit = query["limit"].flatMap { Int(String($0)) } ?? 100
            return .reply(
                200, accounts.dropFirst(offset).prefix(limit).map { ["id": accountID($0), "from_email": $0, "from_name": "Hannah"] as [String: Any] })
        case (.get, "campaigns", 1):
            return .reply(
                200, campaigns.map { ["id": Int($0.id) ?? 0, "name": $0.name, "status": $0.status == 1 ? "ACTIVE" : "DRAFTED"] as [String: Any] })
        case (.post, "campaigns", 2) where route[1] == "create":
            guard let name = body["name"] as? String else { return .reply(400, ["message": "name is required"]) }
            let campaign = Campaign(id: String(nextID), name: name)
            nextID += 1
            campaigns.append(campaign)
            return .reply(200, ["ok": true, "id": Int(campaign.id) ?? 0, "name": name, "created_at": "2026-12-01T10:00:00.000Z"])
        case (_, "campaigns", 3):
            guard let index = campaigns.firstIndex(where: { $0.id == route[1] }) else { return .reply(404, ["message": "Campaign not found"]) }
            let page = (offset: query["offset"].flatMap { Int(String($0)) } ?? 0, limit: query["limit"].flatMap { Int(String($0)) } ?? 100)
            return campaign(request.method, route[2], index: index, body: body, page: page, accountID: accountID)
        default:
            return .reply(404, ["message": "no route \(request.uri.path)"])
        }
    }

    private func campaign(
        _ method: HTTPRequest.Method, _ action: String, index: Int, body: [String: Any], page: (offset: Int, limit: Int),
        accountID: (String) -> Int
    ) -> Step {
        switch (method, action) {
        case (.post, "sequences"):
            let sequences = body["sequences"] as? [[String: Any]] ?? []
            var steps: [Campaign.Step] = []
            for (number, step) in sequences.enumerated() {
                if let variants = step["seq_variants"] as? [Any], variants.count == 1 {
                    return .reply(400, ["message": "a single variant goes flat on the step"])
                }
                guard step["seq_number"] as? Int == number + 1, let delay = (step["seq_delay_details"] as? [String: Any])?["delay_in_days"] as? Int,
                    let subject = step["subject"] as? String, let text = step["email_body"] as? String
                else {
                    return .reply(400, ["message": "each step needs seq_number, seq_delay_details.delay_in_days, subject and email_body"])
                }
                steps.append(.init(delay: delay, subject: subject, body: text))
            }
            campaigns[index].steps = steps
            return .reply(200, ["ok": true, "data": "success"])
        case (.post, "schedule"):
            guard let timezone = body["timezone"] as? String, let days = body["days_of_the_week"] as? [Int],
                let start = body["start_hour"] as? String, body["end_hour"] is String
            else {
                return .reply(400, ["message": "timezone, days_of_the_week, start_hour and end_hour are required"])
            }
            _ = start
            // Smartlead publishes no list: an IANA name (Foundation's knowledge here); anything else as its older docs show.
            guard TimeZone(identifier: timezone) != nil else {
                return .reply(400, ["error": "Invalid timezone - \(timezone)"])
            }
            campaigns[index].timezone = timezone
            campaigns[index].days = days.sorted()
            campaigns[index].dailyLimit = body["max_new_leads_per_day"] as? Int ?? 0
            return .reply(200, ["ok": true])
        case (.post, "email-accounts"):
            let ids = body["email_account_ids"] as? [Int] ?? []
            campaigns[index].accounts = accounts.filter { ids.contains(accountID($0)) }
            return .reply(200, ["ok": true])
        case (.post, "settings"):
            campaigns[index].stopOnReply = body["stop_lead_settings"] as? String == "REPLY_TO_AN_EMAIL"
            return .reply(200, ["ok": true])
        case (.post, "status"):
            guard body["status"] as? String == "START" else { return .reply(400, ["message": "status must be START, PAUSED or STOPPED"]) }
            if failActivations > 0 {
                failActivations -= 1
                return .reply(500, ["message": "Internal server error"])
            }
            campaigns[index].status = 1
            return .reply(200, ["ok": true])
        case (.post, "leads"):
            let leads = body["lead_list"] as? [[String: Any]] ?? []
            guard leads.count <= 400 else { return .reply(400, ["message": "at most 400 leads per call"]) }
            if failing { return .reply(500, ["message": "Internal server error"]) }
            var inserted = 0
            for lead in leads {
                guard let email = (lead["email"] as? String)?.lowercased() else { continue }
                if add(email, variables: lead["custom_fields"] as? [String: String], to: index) != nil { inserted += 1 }
            }
            return .reply(
                200,
                [
                    "ok": true, "upload_count": inserted, "total_leads": campaigns[index].order.count,
                    "already_added_to_campaign": leads.count - inserted,
                    "duplicate_count": 0, "invalid_email_count": 0, "unsubscribed_leads": 0, "block_count": 0,
                ])
        case (.get, "leads"):
            let (offset, limit) = (page.offset, min(page.limit, 100))
            let campaign = campaigns[index]
            let rows = campaign.order.dropFirst(offset).prefix(limit).map { email -> [String: Any] in
                [
                    "campaign_lead_map_id": Int(campaign.leads[email] ?? "0").map { $0 + 500_000 } ?? 0, "status": "STARTED",
                    "lead": ["id": Int(campaign.leads[email] ?? "0") ?? 0, "email": email],
                ]
            }
            return .reply(200, ["total_leads": String(campaign.order.count), "offset": offset, "limit": limit, "data": rows])
        default:
            return .reply(404, ["message": "no route \(action)"])
        }
    }
}
