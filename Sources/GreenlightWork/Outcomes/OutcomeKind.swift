import Foundation

/// What a sequencer's event says happened to a sent email, as Greenlight files every vendor's events.
public enum OutcomeKind: String, Sendable, CaseIterable, Codable {
    /// A step of the sequence went out.
    case sent
    /// Opened or clicked: stored, shown as unreliable (privacy proxies open every email), never used
    /// for a decision.
    case opened, clicked
    case reply
    case autoReply = "auto_reply"
    case bounce
    case unsubscribe
    /// The lead's interest status changed (``InterestLabel``).
    case interest
    /// A custom label of the vendor's workspace, kept as its text: it changes no outcome, since
    /// Greenlight cannot tell whether it is good news.
    case label
    /// An event type Greenlight does not know: accepted and counted, no effect.
    case other

    /// Whether an email's outcome changes with it.
    var shapesOutcome: Bool { ![.sent, .label, .other].contains(self) }
}

/// An interest status a sequencer sets on a lead; the latest one is the lead's.
public enum InterestLabel: String, Sendable, CaseIterable, Codable {
    case interested
    case meetingBooked = "meeting_booked"
    case meetingCompleted = "meeting_completed"
    case won
    case notInterested = "not_interested"
    case wrongPerson = "wrong_person"
    case outOfOffice = "out_of_office"
    case lost
    case noShow = "no_show"
    case neutral

    /// The statuses that make a reply positive.
    public static let positive: [InterestLabel] = [.interested, .meetingBooked, .meetingCompleted, .won]

    public var isPositive: Bool { Self.positive.contains(self) }

    /// How a page says it.
    public var words: String { rawValue.replacingOccurrences(of: "_", with: " ") }
}
