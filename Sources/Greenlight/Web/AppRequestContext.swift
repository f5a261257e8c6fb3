import Foundation
import Hummingbird

/// Per-request state: who is calling (a logged-in user or an API key) and their session.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var user: User?
    public var session: UserSession?
    public var apiKey: APIKeyRepository.KeyOwner?
    /// The clients a logged-in user is assigned to (`nil` for an admin: all), set at authentication.
    public var assignedClientIDs: [Int]?
    /// The caller's IP address, when the connection has one.
    public let remoteAddress: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Uploads (CSV files) may be this large; other bodies are far smaller.
    public var maxUploadSize: Int { 20 * 1024 * 1024 }

    /// The clients the caller may see; `nil` means all (an admin). An API key sees only its client;
    /// anyone else unknown sees nothing.
    public var visibleClientIDs: [Int]? {
        if let apiKey { return [apiKey.clientID] }
        if user != nil { return assignedClientIDs }
        return []
    }
}
