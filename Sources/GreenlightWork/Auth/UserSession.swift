import Foundation
import GreenlightCore
/// What a login session remembers: whose it is and the CSRF token its forms must carry.
public struct UserSession: Codable, Sendable, Equatable {
    public var userID: Int
    public var csrfToken: String
    public var createdAt: Int
    /// When the session's expiry was last pushed back (idle expiry).
    public var renewedAt: Int

    public init(userID: Int, csrfToken: String = SecureToken.make(), createdAt: Int) {
        self.userID = userID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.renewedAt = createdAt
    }
}
