import Foundation
import GreenlightWork

/// What reading outcomes back needs from a sequencer, beside the export's ``Sequencer``: subscribe a
/// webhook to Greenlight's address, tell its state, resume it, and read a campaign's leads a page at a
/// time as outcome events — the same events a webhook delivers, so both ways in make one truth.
public protocol OutcomeReader: Sendable {
    /// Creates the vendor's webhook for every event, posting to `url` with `secret` where the vendor
    /// lets a secret travel; returns the webhook's id.
    func subscribe(url: String, secret: String, name: String) async throws(SequencerError) -> String
    /// The state of the webhook with this id.
    func webhookState(id: String) async throws(SequencerError) -> WebhookState
    /// Resumes a webhook the vendor disabled after failed deliveries.
    func resumeWebhook(id: String) async throws(SequencerError)
    /// One page of the campaign's leads, from `cursor` (nil: the first), as outcome events, and the
    /// cursor of the next page (nil: that was the last).
    func leadOutcomes(campaignID: String, cursor: String?) async throws(SequencerError) -> LeadOutcomePage
}

/// A webhook's state at the vendor.
public enum WebhookState: String, Sendable, Equatable {
    case active
    /// Disabled by the vendor after repeated failed deliveries; it can be resumed.
    case disabled
    /// The vendor no longer has it.
    case missing
}

/// One page of a campaign's leads read back.
public struct LeadOutcomePage: Sendable {
    public var leads: Int
    public var events: [OutcomeEvent]
    public var nextCursor: String?
}
