import Foundation
import GreenlightCore
import GreenlightWork

/// A webhook delivery from Instantly or Smartlead, read into the one event Greenlight stores, in the
/// shapes their references document (../shared/reference/sequencers.md, "Reading outcomes back").
/// A body that is not a JSON object, or lacks what every delivery carries, is ``Refused`` with what
/// is wrong; an event type Greenlight does not know is read as ``OutcomeKind/other`` (or, from
/// Instantly with a lead, a custom label), never refused.
public enum OutcomeDelivery {
    /// Why a body cannot be read (answered 400).
    public struct Refused: Error, CustomStringConvertible, Sendable {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// An Instantly delivery: `timestamp`, `event_type`, `campaign_id` always; `lead_email` and `step`
    /// for a lead's events; custom workspace labels arrive as their label text in `event_type`.
    public static func instantly(_ body: [UInt8]) throws(Refused) -> OutcomeEvent {
        let object = try self.object(body)
        guard let type = (object["event_type"] as? String)?.trimmedWhitespace(), !type.isEmpty else { throw Refused("event_type is missing") }
        guard let occurredAt = instant(object["timestamp"]) else { throw Refused("timestamp is missing or is not an ISO 8601 date") }
        let lead = object["lead_email"] as? String ?? ""
        var (kind, label): (OutcomeKind, String) = instantlyKinds[type] ?? (lead.isEmpty ? .other : .label, lead.isEmpty ? "" : type)
        if kind == .other { label = "" }
        return OutcomeEvent(
            vendor: "instantly", eventType: type, kind: kind, label: label, campaignID: text(object["campaign_id"]), leadEmail: lead,
            step: integer(object["step"]) ?? 0, occurredAt: occurredAt)
    }

    /// Instantly's event types (as delivered) and what each says.
    static let instantlyKinds: [String: (OutcomeKind, String)] = [
        "email_sent": (.sent, ""), "email_opened": (.opened, ""), "link_clicked": (.clicked, ""), "email_link_clicked": (.clicked, ""),
        "reply_received": (.reply, ""), "auto_reply_received": (.autoReply, ""), "email_bounced": (.bounce, ""),
        "lead_unsubscribed": (.unsubscribe, ""), "account_error": (.other, ""), "campaign_completed": (.other, ""),
        "lead_neutral": (.interest, InterestLabel.neutral.rawValue), "lead_interested": (.interest, InterestLabel.interested.rawValue),
        "lead_not_interested": (.interest, InterestLabel.notInterested.rawValue),
        "lead_meeting_booked": (.interest, InterestLabel.meetingBooked.rawValue),
        "lead_meeting_completed": (.interest, InterestLabel.meetingCompleted.rawValue), "lead_closed": (.interest, InterestLabel.won.rawValue),
        "lead_out_of_office": (.interest, InterestLabel.outOfOffice.rawValue), "lead_wrong_person": (.interest, InterestLabel.wrongPerson.rawValue),
    ]

    /// A Smartlead delivery and the `secret_key` it carries (the caller checks it): `event_type`,
    /// `event_timestamp` (older deliveries: `time_replied`, `time_sent`…), `to_email` (older:
    /// `lead_email`), `campaign_id`, `sequence_number`; a category change names its new category in
    /// `lead_category.new_name` (older: `category`).
    public static func smartlead(_ body: [UInt8]) throws(Refused) -> (event: OutcomeEvent, secretKey: String) {
        let object = try self.object(body)
        guard let type = (object["event_type"] as? String)?.trimmedWhitespace(), !type.isEmpty else { throw Refused("event_type is missing") }
        let reply = object["reply_message"] as? [String: Any], sent = object["sent_message"] as? [String: Any]
        let times = [
            object["event_timestamp"], reply?["time"], object["time_replied"], sent?["time"], object["time_sent"], object["time_opened"],
            object["time_clicked"], object["created_at"],
        ]
        guard let occurredAt = times.lazy.compactMap({ instant($0) }).first else {
            throw Refused("event_timestamp is missing or is not an ISO 8601 date")
        }
        let lead =
            (object["to_email"] as? String) ?? (object["lead_email"] as? String) ?? ((object["lead_data"] as? [String: Any])?["email"] as? String)
            ?? ""
        var kind: OutcomeKind, label = ""
        switch type {
        case "EMAIL_SENT", "FIRST_EMAIL_SENT": kind = .sent
        case "EMAIL_OPEN": kind = .opened
        case "EMAIL_LINK_CLICK": kind = .clicked
        case "EMAIL_REPLY": kind = .reply
        case "EMAIL_BOUNCE": kind = .bounce
        case "LEAD_UNSUBSCRIBED": kind = .unsubscribe
        case "LEAD_CATEGORY_UPDATED":
            let name = ((object["lead_category"] as? [String: Any])?["new_name"] as? String) ?? (object["category"] as? String) ?? ""
            (kind, label) = smartleadCategory(name)
        default: kind = .other
        }
        let event = OutcomeEvent(
            vendor: "smartlead", eventType: type, kind: kind, label: label, campaignID: text(object["campaign_id"]), leadEmail: lead,
            step: integer(object["sequence_number"]) ?? 0, occurredAt: occurredAt)
        return (event, object["secret_key"] as? String ?? "")
    }

    /// Smartlead's default lead categories as Greenlight's interest statuses; any other category is a
    /// custom label, kept as its text.
    static func smartleadCategory(_ name: String) -> (OutcomeKind, String) {
        switch name.trimmedWhitespace().lowercased() {
        case "interested": (.interest, InterestLabel.interested.rawValue)
        case "meeting request", "meeting booked": (.interest, InterestLabel.meetingBooked.rawValue)
        case "meeting completed": (.interest, InterestLabel.meetingCompleted.rawValue)
        case "closed", "won": (.interest, InterestLabel.won.rawValue)
        case "not interested": (.interest, InterestLabel.notInterested.rawValue)
        case "do not contact": (.unsubscribe, "")
        case "out of office": (.interest, InterestLabel.outOfOffice.rawValue)
        case "wrong person": (.interest, InterestLabel.wrongPerson.rawValue)
        case "": (.other, "")
        default: (.label, name.trimmedWhitespace())
        }
    }

    static func object(_ body: [UInt8]) throws(Refused) -> [String: Any] {
        guard let value = try? JSONSerialization.jsonObject(with: Data(body)) else { throw Refused("the body is not JSON") }
        guard let object = value as? [String: Any] else { throw Refused("the body is not a JSON object") }
        return object
    }

    /// A string, or a number as text (Smartlead's ids are numbers).
    static func text(_ value: Any?) -> String {
        if let string = value as? String { return string.trimmedWhitespace() }
        if let number = value as? NSNumber { return number.stringValue }
        return ""
    }

    static func integer(_ value: Any?) -> Int? {
        if let number = value as? NSNumber { return number.intValue }
        return (value as? String).flatMap { Int($0.trimmedWhitespace()) }
    }

    /// An ISO 8601 date (with or without fractional seconds) or epoch seconds/milliseconds, in milliseconds.
    static func instant(_ value: Any?) -> Int? {
        if let number = value as? NSNumber {
            let raw = number.doubleValue
            return Int(raw > 1e11 ? raw : raw * 1000)
        }
        guard let text = (value as? String)?.trimmedWhitespace(), !text.isEmpty else { return nil }
        if let date = (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) ?? (try? Date(text, strategy: .iso8601))
        {
            return Int((date.timeIntervalSince1970 * 1000).rounded())
        }
        return nil
    }
}
