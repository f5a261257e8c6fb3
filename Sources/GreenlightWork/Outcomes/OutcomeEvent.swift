import GreenlightCore

/// One thing a sequencer said happened to a lead, in the form Greenlight stores it: the same event
/// delivered three times, or by a webhook and again by a pull, has the same natural key (vendor,
/// kind and label, campaign, lead, step, the vendor's timestamp) and is stored once.
public struct OutcomeEvent: Sendable, Equatable {
    /// Where an event came from.
    public enum Source: String, Sendable {
        case webhook, pull, upload
    }

    /// `instantly`, `smartlead`, or `csv` for an uploaded lead export.
    public var vendor: String
    /// The vendor's own name for the event (`reply_received`, `EMAIL_REPLY`, a custom label's text).
    public var eventType: String
    public var kind: OutcomeKind
    /// The interest status (``InterestLabel``) or a custom label's text; empty otherwise.
    public var label: String
    public var campaignID: String
    /// The lead's address, normalized (``EmailAddress/normalize(_:)``).
    public var leadEmail: String
    /// The sequence step (1 for the first email); 0 when the vendor names none.
    public var step: Int
    /// When the vendor says it happened, in milliseconds since 1970.
    public var occurredAt: Int

    public init(
        vendor: String, eventType: String, kind: OutcomeKind, label: String = "", campaignID: String, leadEmail: String, step: Int, occurredAt: Int
    ) {
        self.vendor = vendor
        self.eventType = eventType
        self.kind = kind
        self.label = label
        self.campaignID = campaignID
        self.leadEmail = EmailAddress.normalize(leadEmail)
        self.step = step
        self.occurredAt = occurredAt
    }

    /// The interest status it sets, when it is an interest change Greenlight knows.
    public var interest: InterestLabel? { kind == .interest ? InterestLabel(rawValue: label) : nil }

    /// Why the address must not be written to again, if the event says so.
    public var suppression: SuppressionReason? {
        switch kind {
        case .bounce: .bounced
        case .unsubscribe: .unsubscribed
        case .interest where interest == .wrongPerson: .wrongPerson
        default: nil
        }
    }
}
