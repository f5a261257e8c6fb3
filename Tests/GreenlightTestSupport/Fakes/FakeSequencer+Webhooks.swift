import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The fake's webhook deliveries, in the bodies each vendor documents
/// (../shared/reference/sequencers.md, "Reading outcomes back"): Instantly's `timestamp`,
/// `event_type`, `workspace`, `campaign_id`, `campaign_name` always, `lead_email`, `step` and the
/// reply fields for a lead's events; Smartlead's `event_type`, `event_timestamp`, `to_email`,
/// `campaign_id` (a number), `sequence_number`, `sl_email_lead_id`, `secret_key` and, for a
/// reply, `reply_message`; a category change's `lead_category.new_name`.
extension FakeSequencer {
    /// One event the fake will deliver.
    package struct Event: Sendable {
        /// The vendor's event type (`reply_received`, `EMAIL_REPLY`, a custom label's text…).
        package var type: String
        package var lead: String
        package var campaignID: String
        package var step: Int
        /// Milliseconds since 1970.
        package var at: Int
        /// Smartlead's new category name for `LEAD_CATEGORY_UPDATED`.
        package var category: String?

        package init(_ type: String, lead: String, campaignID: String, step: Int = 1, at: Int, category: String? = nil) {
            self.type = type
            self.lead = lead
            self.campaignID = campaignID
            self.step = step
            self.at = at
            self.category = category
        }
    }

    /// Makes `event` happen to its lead: the lead's state as `leads/list` reads it moves as
    /// Instantly's would (reply count, last reply and step, bounced or unsubscribed status, interest
    /// status and when it changed), and the body its webhook would deliver is returned — deliver it,
    /// or drop it to stand for a delivery that never arrived.
    package func happen(_ event: Event, secret: String = "") -> Data {
        let time = Self.iso(event.at)
        lock.withLock {
            var state = leadStates[event.campaignID + " " + event.lead.lowercased()] ?? [:]
            switch event.type {
            case "email_sent": state["timestamp_last_contact"] = time
            case "reply_received":
                state["email_reply_count"] = (state["email_reply_count"] as? Int ?? 0) + 1
                state["timestamp_last_reply"] = time
                state["email_replied_step"] = event.step
            case "email_bounced":
                state["status"] = -1
                state["timestamp_last_contact"] = time
            case "lead_unsubscribed":
                state["status"] = -2
                state["timestamp_last_contact"] = time
            default:
                let codes = [
                    "lead_interested": 1, "lead_meeting_booked": 2, "lead_meeting_completed": 3, "lead_closed": 4, "lead_out_of_office": 0,
                    "lead_not_interested": -1, "lead_wrong_person": -2,
                ]
                if let code = codes[event.type] {
                    state["lt_interest_status"] = code
                    state["timestamp_last_interest_change"] = time
                }
            }
            leadStates[event.campaignID + " " + event.lead.lowercased()] = state
        }
        return webhookBody(event, secret: secret)
    }

    /// The JSON body the vendor posts for `event` (`secret` is Smartlead's `secret_key`).
    package func webhookBody(_ event: Event, secret: String = "") -> Data {
        let time = Self.iso(event.at)
        let campaignName = lock.withLock { campaigns.first { $0.id == event.campaignID }?.name } ?? "Unknown campaign"
        let leadID = lock.withLock { campaigns.first { $0.id == event.campaignID }?.leads[event.lead.lowercased()] }
        var body: [String: Any]
        switch vendor {
        case .instantly:
            body = [
                "timestamp": time, "event_type": event.type, "workspace": "3f6e2a8c-workspace", "campaign_id": event.campaignID,
                "campaign_name": campaignName,
            ]
            if !event.lead.isEmpty {
                body["lead_email"] = event.lead
                body["email_account"] = "hannah@northwind.example"
                body["step"] = event.step
                body["variant"] = 1
                body["is_first"] = event.step == 1
                body["email_id"] = "em-\(event.at)"
                body["unibox_url"] = "https://app.instantly.ai/unibox?lead=\(event.lead)"
                body["firstName"] = "Lead"
            }
            if event.type.contains("reply") {
                body["reply_subject"] = "Re: a question"
                body["reply_text"] = "Thanks, tell me more."
                body["reply_text_snippet"] = "Thanks, tell me more."
            }
        case .smartlead:
            body = [
                "event_type": event.type, "event_timestamp": time, "to_email": event.lead, "to_name": "Lead",
                "from_email": "hannah@northwind.example",
                "campaign_id": Int(event.campaignID) ?? 0, "campaign_name": campaignName, "sequence_number": event.step,
                "sl_email_lead_id": Int(leadID ?? "0") ?? 0, "stats_id": "st-\(event.at)", "subject": "A question",
                "sent_message": ["message_id": "<m-\(event.at)@smartlead>", "html": "<p>Hello</p>", "text": "Hello", "time": time],
                "secret_key": secret, "app_url": "https://app.smartlead.ai/app/master-inbox", "webhook_id": 4242, "webhook_name": "Greenlight",
            ]
            if event.type == "EMAIL_REPLY" {
                body["reply_message"] = ["message_id": "<r-\(event.at)@mail>", "html": "<p>Tell me more</p>", "text": "Tell me more", "time": time]
            }
            if let category = event.category {
                body["lead_category"] = ["old_id": NSNull(), "old_name": NSNull(), "new_id": 1, "new_name": category]
            }
        }
        return (try? JSONSerialization.data(withJSONObject: body)) ?? Data()
    }

    /// Posts `body` to `url` as the vendor's webhook does; the status and text of the answer.
    package static func deliver(_ body: Data, to url: String, headers: [String: String] = [:]) async throws -> (status: Int, text: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "User-Agent", value: "fake-sequencer-webhooks")
        request.body = .bytes(ByteBuffer(bytes: Array(body)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        return (Int(response.status.code), text)
    }

    /// Posts `body` to every webhook created through the API, with the headers it was created with,
    /// as Instantly delivers; the statuses of the answers.
    package func deliverToWebhooks(_ body: Data) async throws -> [Int] {
        let targets = lock.withLock {
            webhooks.compactMap { hook in
                (hook["target_hook_url"] as? String).map { ($0, hook["headers"] as? [String: String] ?? [:], hook["status"] as? Int ?? 1) }
            }
        }
        var statuses: [Int] = []
        for (url, headers, status) in targets where status == 1 {
            statuses.append(try await Self.deliver(body, to: url, headers: headers).status)
        }
        return statuses
    }

    static func iso(_ millis: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }
}
