import Crypto
import Foundation

/// Two prompt versions of one client run at once: the current one (control) and a variant. Which
/// one writes a contact's draft is decided by a hash of the contact's address and the experiment's
/// seed, so the same contact always gets the same version, on any instance, and the variant's share
/// holds over large numbers.
public struct PromptExperiment: Sendable, Hashable {
    /// One side of the experiment.
    public enum Arm: String, Sendable, CaseIterable, Codable {
        case control, variant
    }

    public var id: Int
    public var clientID: Int
    public var control: PromptVersion
    public var variant: PromptVersion
    /// The share of contacts on the variant, in basis points (1–9,999).
    public var variantShareBP: Int
    public var seed: String
    public var startedAt: Int
    public var startedBy: String
    public var endedAt: Int?
    public var endedBy: String?
    public var winner: Arm?

    public init(
        id: Int, clientID: Int, control: PromptVersion, variant: PromptVersion, variantShareBP: Int, seed: String, startedAt: Int,
        startedBy: String, endedAt: Int? = nil, endedBy: String? = nil, winner: Arm? = nil
    ) {
        self.id = id
        self.clientID = clientID
        self.control = control
        self.variant = variant
        self.variantShareBP = variantShareBP
        self.seed = seed
        self.startedAt = startedAt
        self.startedBy = startedBy
        self.endedAt = endedAt
        self.endedBy = endedBy
        self.winner = winner
    }

    /// The arm of the contact with this address (compared lower-cased and trimmed).
    public func arm(for email: String) -> Arm {
        let address = email.trimmingCharacters(in: .whitespaces).lowercased()
        let digest = SHA256.hash(data: Data("\(seed):\(address)".utf8))
        let value = digest.prefix(8).reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
        let fraction = Double(value >> 11) / Double(UInt64(1) << 53)
        return fraction * 10_000 < Double(variantShareBP) ? .variant : .control
    }

    /// The version on `arm`.
    public func version(_ arm: Arm) -> PromptVersion {
        arm == .control ? control : variant
    }
}
