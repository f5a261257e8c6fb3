/// Why an address or domain is never exported again for a client.
public enum SuppressionReason: String, Sendable, CaseIterable, Codable {
    case bounced
    case unsubscribed
    case wrongPerson = "wrong_person"
    /// A manager marked it do-not-contact.
    case doNotContact = "do_not_contact"

    /// How a sentence says it: "unsubscribed on 3 Dec 2026".
    public var words: String {
        switch self {
        case .bounced: "bounced"
        case .unsubscribed: "unsubscribed"
        case .wrongPerson: "marked wrong person"
        case .doNotContact: "marked do-not-contact"
        }
    }
}
