import Foundation
/// What a user may do: SDRs review, managers also run imports and read analytics,
/// admins also manage clients, users and keys.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    case sdr
    case manager
    case admin

    private var rank: Int {
        switch self {
        case .sdr: 0
        case .manager: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}
