import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt off the event loop. The cost is a setting so tests can run fast (cost 4 ≈ 1 ms) while
/// production keeps the default 12 (≈ 0.3 s per hash here).
public struct PasswordHasher: Sendable {
    public let cost: UInt8

    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
