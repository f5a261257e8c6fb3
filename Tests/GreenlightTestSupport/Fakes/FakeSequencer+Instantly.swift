import Foundation
import Hummingbird

/// Instantly's API V2: bearer keys, campaigns created whole (schedule and sequence), searched by name
/// and activated, leads added up to 1,000 per call with `skip_if_in_campaign` and read back with
/// `POST /api/v2/leads/list`, JSON errors `{"statusCode", "error", "message"}`.
extension FakeSequencer {
    /// The enum of `campaign_schedule.schedules[].timezone` in Instantly's published API v2 schema
    /// (https://developer.instantly.ai/api/v2), copied here on its own so the fake checks the client's
    /// list rather than trusting it: any other name is refused with a 400, as Instantly does.
    package static let instantlyTimezones: Set<String> = [
        "Etc/GMT+12", "Etc/GMT+11", "Etc/GMT+10", "America/Anchorage", "America/Dawson", "America/Creston", "America/Chihuahua", "America/Boise",
        "America/Belize", "America/Chicago", "America/Bahia_Banderas", "America/Regina", "America/Bogota", "America/Detroit",
        "America/Indiana/Marengo",
        "America/Caracas", "America/Asuncion", "America/Glace_Bay", "America/Campo_Grande", "America/Anguilla", "America/Santiago",
        "America/St_Johns",
        "America/Sao_Paulo", "America/Argentina/La_Rioja", "America/Araguaina", "America/Godthab", "America/Montevideo", "America/Bahia",
        "America/Noronha", "America/Scoresbysund", "Atlantic/Cape_Verde", "Africa/Casablanca", "America/Danmarkshavn", "Europe/Isle_of_Man",
        "Atlantic/Canary", "Africa/Abidjan", "Arctic/Longyearbyen", "Europe/Belgrade", "Africa/Ceuta", "Europe/Sarajevo", "Africa/Algiers",
        "Africa/Windhoek", "Asia/Nicosia", "Asia/Beirut", "Africa/Cairo", "Asia/Damascus", "Europe/Bucharest", "Africa/Blantyre", "Europe/Helsinki",
        "Europe/Istanbul", "Asia/Jerusalem", "Africa/Tripoli", "Asia/Amman", "Asia/Baghdad", "Europe/Kaliningrad", "Asia/Aden", "Africa/Addis_Ababa",
        "Europe/Kirov", "Europe/Astrakhan", "Asia/Tehran", "Asia/Dubai", "Asia/Baku", "Indian/Mahe", "Asia/Tbilisi", "Asia/Yerevan", "Asia/Kabul",
        "Antarctica/Mawson", "Asia/Yekaterinburg", "Asia/Karachi", "Asia/Kolkata", "Asia/Colombo", "Asia/Kathmandu", "Antarctica/Vostok",
        "Asia/Dhaka",
        "Asia/Rangoon", "Antarctica/Davis", "Asia/Novokuznetsk", "Asia/Hong_Kong", "Asia/Krasnoyarsk", "Asia/Brunei", "Australia/Perth",
        "Asia/Taipei",
        "Asia/Choibalsan", "Asia/Irkutsk", "Asia/Dili", "Asia/Pyongyang", "Australia/Adelaide", "Australia/Darwin", "Australia/Brisbane",
        "Australia/Melbourne", "Antarctica/DumontDUrville", "Australia/Currie", "Asia/Chita", "Antarctica/Macquarie", "Asia/Sakhalin",
        "Pacific/Auckland", "Etc/GMT-12", "Pacific/Fiji", "Asia/Anadyr", "Asia/Kamchatka", "Etc/GMT-13", "Pacific/Apia",
    ]

    /// The `event_type` values `POST /api/v2/webhooks` takes (the delivery types, `all_events`, and
    /// clicks subscribed as `email_link_clicked`).
    static let instantlyWebhookEvents: Set<String> = [
        "all_events", "email_sent", "email_opened", "email_link_clicked", "reply_received", "auto_reply_received", "email_bounced",
        "lead_unsubscribed", "account_error", "campaign_completed", "lead_neutral", "lead_interested", "lead_not_interested",
        "lead_meeting_booked", "lead_meeting_completed", "lead_closed", "lead_out_of_office", "lead_wrong_person",
    ]

    func instantly(_ request: Request, _ body: [String: Any]) -> Step {
        let path = request.uri.path
        guard request.headers[.authorization] == "Bearer \(key)" else {
            return .reply(401, ["statusCode": 401, "error": "Unauthorized", "message": "Invalid API key"])
        }
        switch (request.method, path) {
        case (.get, "/api/v2/accounts"):
            return .reply(200, ["items": accounts.map { ["email": $0, "status": 1] }, "next_starting_after": NSNull()])
        case (.get, "/api/v2/campaigns"):
            let search = request.uri.queryParameters["search"].map(String.init) ?? ""
            let items = campaigns.filter { search.isEmpty || $0.name.contains(search) }.map {
                ["id": $0.id, "name": $0.name, "status": $0.status] as [String: Any]
            }
            return .reply(200, ["items": items])
        case (.post, "/api/v2/campaigns"):
            guard let name = body["name"] as? String, let scheduleBody = body["campaign_schedule"] as? [String: Any] else {
                return .reply(400, ["statusCode": 400, "error": "Bad Request", "message": "name and campaign_schedule are required"])
            }
            let schedule = (scheduleBody["schedules"] as? [[String: Any]])?.first ?? [:]
            guard let zone = schedule["timezone"] as? String, Self.instantlyTimezones.contains(zone) else {
                return .reply(
                    400,
                    [
                        "statusCode": 400, "error": "Bad Request",
                        "message": "body/campaign_schedule/schedules/0/timezone must be equal to one of the allowed values",
                    ])
            }
            // The rest of the schedule's schema: `timing.from`/`to` as HH:MM, at least one day "0"–"6", a name.
            let timing = schedule["timing"] as? [String: Any] ?? [:]
            let clock = /^([01][0-9]|2[0-3]):([0-5][0-9])$/
            guard [timing["from"], timing["to"]].allSatisfy({ ($0 as? String).map { $0.wholeMatch(of: clock) != nil } ?? false }) else {
                return .reply(
                    400, ["statusCode": 400, "error": "Bad Request", "message": "body/campaign_schedule/schedules/0/timing/from must match pattern"])
            }
            guard let scheduleDays = schedule["days"] as? [String: Bool], !scheduleDays.isEmpty,
                scheduleDays.keys.allSatisfy({ ["0", "1", "2", "3", "4", "5", "6"].contains($0) }), schedule["name"] is String
            else {
                return .reply(
                    400,
                    ["statusCode": 400, "error": "Bad Request", "message": "body/campaign_schedule/schedules/0/days must have at least 1 property"])
            }
            var campaign = Campaign(id: "cmp-\(nextID)", name: name)
            nextID += 1
            campaign.timezone = schedule["timezone"] as? String ?? ""
            campaign.days = ((schedule["days"] as? [String: Bool]) ?? [:]).filter(\.value).keys.compactMap { Int($0) }.sorted()
            let steps = ((body["sequences"] as? [[String: Any]])?.first?["steps"] as? [[String: Any]]) ?? []
            campaign.steps = steps.map { step in
                let variant = (step["variants"] as? [[String: Any]])?.first ?? [:]
                return Campaign.Step(
                    delay: step["delay"] as? Int ?? -1, subject: variant["subject"] as? String ?? "", body: variant["body"] as? String ?? "")
            }
            campaign.accounts = body["email_list"] as? [String] ?? []
            campaign.dailyLimit = body["daily_limit"] as? Int ?? 0
            campaign.stopOnReply = body["stop_on_reply"] as? Bool ?? false
            campaigns.append(campaign)
            return .reply(200, ["id": campaign.id, "name": name, "status": 0])
        case (.post, "/api/v2/leads/add"):
            guard let campaignID = body["campaign_id"] as? String, let index = campaigns.firstIndex(where: { $0.id == campaignID }) else {
                return .reply(404, ["statusCode": 404, "error": "Not Found", "message": "campaign not found"])
            }
            let leads = body["leads"] as? [[String: Any]] ?? []
            guard leads.count <= 1000 else { return .reply(400, ["statusCode": 400, "message": "at most 1000 leads per call"]) }
            guard body["skip_if_in_campaign"] as? Bool == true else {
                return .reply(400, ["statusCode": 400, "message": "this fake expects skip_if_in_campaign"])
            }
            if failing { return .reply(500, ["statusCode": 500, "error": "Internal Server Error", "message": "upstream failure"]) }
            var created: [[String: Any]] = []
            for lead in leads {
                guard let email = (lead["email"] as? String)?.lowercased() else { continue }
                if let id = add(email, variables: lead["custom_variables"] as? [String: String], to: index) {
                    created.append(["id": id, "email": email, "custom_variables": lead["custom_variables"] ?? [:]])
                }
            }
            return .reply(
                200,
                ["total_sent": leads.count, "leads_uploaded": created.count, "skipped_count": leads.count - created.count, "created_leads": created])
        case (.post, "/api/v2/leads/list"):
            guard let campaignID = body["campaign"] as? String, let campaign = campaigns.first(where: { $0.id == campaignID }) else {
                return .reply(200, ["items": []])
            }
            let wanted = Set((body["contacts"] as? [String] ?? []).map { $0.lowercased() })
            let all = campaign.order.filter { wanted.isEmpty || wanted.contains($0) }
            let after = body["starting_after"] as? String
            let start = after.flatMap { cursor in all.firstIndex { campaign.leads[$0] == cursor }.map { $0 + 1 } } ?? 0
            let page = Array(all.dropFirst(start).prefix(body["limit"] as? Int ?? 100))
            guard (body["limit"] as? Int ?? 100) <= 100 else {
                return .reply(400, ["statusCode": 400, "error": "Bad Request", "message": "body/limit must be <= 100"])
            }
            return .reply(
                200,
                [
                    "items": page.map { email in
                        (leadStates[campaign.id + " " + email] ?? [:]).merging(
                            ["id": campaign.leads[email] ?? "", "email": email, "campaign": campaign.id, "status": 1],
                            uniquingKeysWith: { state, _ in state })
                    },
                    "next_starting_after": page.last.flatMap { campaign.leads[$0] }.map { $0 as Any } ?? NSNull(),
                ])
        case (.post, "/api/v2/webhooks"):
            guard let target = body["target_hook_url"] as? String, target.hasPrefix("http") else {
                return .reply(400, ["statusCode": 400, "error": "Bad Request", "message": "body must have required property 'target_hook_url'"])
            }
            let eventType = body["event_type"] as? String ?? "all_events"
            guard Self.instantlyWebhookEvents.contains(eventType) else {
                return .reply(
                    400, ["statusCode": 400, "error": "Bad Request", "message": "body/event_type must be equal to one of the allowed values"])
            }
            let hook: [String: Any] = [
                "id": "wh-\(nextID)", "target_hook_url": target, "event_type": eventType, "name": body["name"] ?? NSNull(),
                "headers": body["headers"] ?? [String: String](), "status": 1, "timestamp_created": "2026-12-01T10:00:00.000Z",
            ]
            nextID += 1
            webhooks.append(hook)
            return .reply(200, hook)
        default:
            if path.hasPrefix("/api/v2/webhooks/") {
                let rest = path.dropFirst("/api/v2/webhooks/".count).split(separator: "/")
                guard let id = rest.first.map(String.init), let index = webhooks.firstIndex(where: { $0["id"] as? String == id }) else {
                    return .reply(404, ["statusCode": 404, "error": "Not Found", "message": "webhook not found"])
                }
                if request.method == .get, rest.count == 1 { return .reply(200, webhooks[index]) }
                if request.method == .post, rest.count == 2, rest[1] == "resume" {
                    webhooks[index]["status"] = 1
                    return .reply(200, webhooks[index])
                }
            }
            if request.method == .post, path.hasPrefix("/api/v2/campaigns/"), path.hasSuffix("/activate") {
                let id = String(path.dropFirst("/api/v2/campaigns/".count).dropLast("/activate".count))
                guard let index = campaigns.firstIndex(where: { $0.id == id }) else {
                    return .reply(404, ["statusCode": 404, "message": "campaign not found"])
                }
                if failActivations > 0 {
                    failActivations -= 1
                    return .reply(500, ["statusCode": 500, "error": "Internal Server Error", "message": "upstream failure"])
                }
                campaigns[index].status = 1
                return .reply(200, ["id": id, "status": 1])
            }
            return .reply(404, ["statusCode": 404, "error": "Not Found", "message": "no route \(path)"])
        }
    }
}
