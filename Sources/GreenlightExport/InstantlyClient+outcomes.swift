import Foundation
import NIOHTTP1
import GreenlightCore
import GreenlightWork

/// Instantly's side of reading outcomes back (../shared/reference/sequencers.md): webhooks created
/// with `POST /api/v2/webhooks` (unsigned deliveries, so the secret travels in a header Greenlight
/// names), read and resumed by id; the per-lead state from `POST /api/v2/leads/list`.
extension InstantlyClient: OutcomeReader {
    /// The header an Instantly delivery carries the client's secret in, when Greenlight subscribed it.
    public static let secretHeader = "X-Greenlight-Secret"

    public func subscribe(url: String, secret: String, name: String) async throws(SequencerError) -> String {
        let body: [String: Any] = ["target_hook_url": url, "event_type": "all_events", "name": name, "headers": [Self.secretHeader: secret]]
        let answer = try await http.call(.POST, baseURL + "/api/v2/webhooks", headers: auth, json: body, kind: .write)
        guard let id = answer["id"] as? String, !id.isEmpty else { throw .unavailable("Instantly created the webhook but its answer has no id") }
        return id
    }

    public func webhookState(id: String) async throws(SequencerError) -> WebhookState {
        let answer: [String: Any]
        do {
            answer = try await http.call(.GET, baseURL + "/api/v2/webhooks/\(Self.escape(id))", headers: auth, kind: .read)
        } catch .rejected(status: 404, _) {
            return .missing
        }
        if let status = answer["status"] as? Int { return status == 1 ? .active : .disabled }
        return .active
    }

    public func resumeWebhook(id: String) async throws(SequencerError) {
        _ = try await http.call(.POST, baseURL + "/api/v2/webhooks/\(Self.escape(id))/resume", headers: auth, json: [String: Any](), kind: .write)
    }

    public func leadOutcomes(campaignID: String, cursor: String?) async throws(SequencerError) -> LeadOutcomePage {
        var body: [String: Any] = ["campaign": campaignID, "limit": min(batchLimit, 100)]
        if let cursor { body["starting_after"] = cursor }
        let answer = try await http.call(.POST, baseURL + "/api/v2/leads/list", headers: auth, json: body, kind: .read)
        let items = answer["items"] as? [[String: Any]] ?? []
        return LeadOutcomePage(
            leads: items.count, events: items.flatMap { Self.events(lead: $0, campaignID: campaignID) },
            nextCursor: items.isEmpty ? nil : answer["next_starting_after"] as? String)
    }

    /// `lt_interest_status` values and the status each names (workspaces may add their own: kept as a label).
    static let interestStatuses: [Int: InterestLabel] = [
        1: .interested, 2: .meetingBooked, 3: .meetingCompleted, 4: .won, 0: .outOfOffice, -1: .notInterested, -2: .wrongPerson, -3: .lost,
        -4: .noShow,
    ]

    /// What one Lead object says happened, as the events a webhook would have brought: a reply
    /// (`email_reply_count`, `timestamp_last_reply`, `email_replied_step`), a bounce or an
    /// unsubscribe (`status` −1 or −2, at `timestamp_last_contact`), the interest status
    /// (`lt_interest_status` at `timestamp_last_interest_change`).
    static func events(lead: [String: Any], campaignID: String) -> [OutcomeEvent] {
        guard let email = lead["email"] as? String, !email.isEmpty else { return [] }
        func event(_ type: String, _ kind: OutcomeKind, label: String = "", step: Int = 0, at: Any?) -> OutcomeEvent? {
            guard let at = OutcomeDelivery.instant(at) else { return nil }
            return OutcomeEvent(
                vendor: "instantly", eventType: type, kind: kind, label: label, campaignID: campaignID, leadEmail: email, step: step, occurredAt: at)
        }
        var events: [OutcomeEvent] = []
        if (OutcomeDelivery.integer(lead["email_reply_count"]) ?? 0) > 0,
            let reply = event(
                "reply_received", .reply, step: OutcomeDelivery.integer(lead["email_replied_step"]) ?? 0, at: lead["timestamp_last_reply"])
        {
            events.append(reply)
        }
        switch OutcomeDelivery.integer(lead["status"]) {
        case -1: event("email_bounced", .bounce, at: lead["timestamp_last_contact"]).map { events.append($0) }
        case -2: event("lead_unsubscribed", .unsubscribe, at: lead["timestamp_last_contact"]).map { events.append($0) }
        default: break
        }
        if let status = OutcomeDelivery.integer(lead["lt_interest_status"]) {
            let known = interestStatuses[status]
            event(
                "lt_interest_status \(status)", known == nil ? .label : .interest, label: known?.rawValue ?? "interest status \(status)",
                at: lead["timestamp_last_interest_change"]
            ).map { events.append($0) }
        }
        return events
    }
}
