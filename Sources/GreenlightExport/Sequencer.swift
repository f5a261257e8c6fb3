import Foundation

/// What the export needs from a sequencer (Instantly, Smartlead): check a key, find or create a
/// campaign, add leads in batches, read back which leads a campaign holds, start it. Implementations
/// speak the vendor's HTTP API; tests put fakes of those APIs on loopback.
public protocol Sequencer: Sendable {
    /// The most leads one `addLeads` call takes.
    var batchLimit: Int { get }
    /// The sending accounts the key sees: a cheap call that proves the key works.
    func accounts() async throws(SequencerError) -> [String]
    /// The id of the campaign with exactly this name, if one exists.
    func findCampaign(named name: String) async throws(SequencerError) -> String?
    /// Creates the campaign (never sending by itself) and returns its id.
    func createCampaign(_ campaign: CampaignSpec) async throws(SequencerError) -> String
    /// Makes a campaign found by name (an interrupted run may have created it) carry the spec's
    /// sequence, schedule and accounts: Smartlead sets them in calls after creating; Instantly creates
    /// a campaign whole, so it has nothing to do.
    func completeCampaign(id: String, _ campaign: CampaignSpec) async throws(SequencerError)
    /// Adds leads to the campaign, skipping those it already holds; returns the new leads' ids by email (lower-cased).
    func addLeads(_ leads: [SequencerLead], to campaignID: String) async throws(SequencerError) -> [String: String]
    /// Which of these addresses the campaign already holds, with their lead ids (emails lower-cased).
    func heldLeads(_ emails: [String], in campaignID: String) async throws(SequencerError) -> [String: String]
    /// Starts sending.
    func activate(campaignID: String) async throws(SequencerError)
}

/// A campaign as the export creates it: name, sending window, the first email from each lead's own
/// reviewed text and the template's follow-ups.
public struct CampaignSpec: Sendable, Equatable {
    /// One email of the sequence: the wait in days before it, its subject (empty: same thread) and body.
    public struct Step: Sendable, Equatable {
        public var delayDays: Int
        public var subject: String
        public var body: String
    }

    public var name: String
    public var timezone: String
    /// Weekdays, 0 = Sunday … 6 = Saturday.
    public var days: [Int]
    public var from: String
    public var to: String
    public var steps: [Step]
    public var accounts: [String]
    public var dailyLimit: Int
    public var stopOnReply: Bool
}

/// One lead with the email a reviewer approved, carried in custom variables.
public struct SequencerLead: Sendable, Equatable {
    public var email: String
    public var firstName: String
    public var lastName: String
    public var companyName: String
    /// `subject_line`, `email_body` and the contact's fields the follow-ups use.
    public var variables: [String: String]
}

/// Why a sequencer call failed, in words a manager understands.
public enum SequencerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 401: the key is wrong or revoked.
    case refusedKey(String)
    /// 402: the workspace has no active paid plan.
    case unpaid(String)
    /// 403: the key lacks a permission (scope).
    case forbidden(String)
    /// Another 4xx: the sequencer refused what was sent.
    case rejected(status: Int, message: String)
    /// 429 or 5xx after every retry, a timeout or no connection: the sequencer is not answering now.
    case unavailable(String)
    /// Nothing was sent: the request would break the vendor's published schema (e.g. a time zone it does not take).
    case unsupported(String)

    public var description: String {
        switch self {
        case .refusedKey(let said):
            return "the sequencer refused the API key (401): connect a working key on the export page\(said.isEmpty ? "" : " — it said: \(said)")"
        case .unpaid(let said): return "the sequencer says the workspace has no active paid plan (402)\(said.isEmpty ? "" : " — it said: \(said)")"
        case .forbidden(let said):
            return
                "the API key lacks a permission this export needs (403): give it the campaigns and leads scopes\(said.isEmpty ? "" : " — it said: \(said)")"
        case .rejected(let status, let said): return "the sequencer refused the request (\(status)): \(said)"
        case .unavailable(let said): return "the sequencer is not answering: \(said)"
        case .unsupported(let why): return "not sent to the sequencer: \(why)"
        }
    }

    /// Whether asking again gives the same answer: the sequencer refused what was sent (a campaign it
    /// no longer has, a request it will never take), as opposed to a key to fix or a sequencer not
    /// answering now.
    public var isPermanent: Bool {
        switch self {
        case .rejected, .unsupported: return true
        case .refusedKey, .unpaid, .forbidden, .unavailable: return false
        }
    }
}
