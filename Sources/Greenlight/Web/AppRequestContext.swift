import Foundation
import Hummingbird

/// Per-request state: who is calling (a logged-in user or an API key) and their session.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var user: User?
    public var session: UserSession?
    public var apiKey: APIKeyRepository.KeyOwner?

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// Uploads (CSV files) may be this large; other bodies are far smaller.
    public var maxUploadSize: Int { 20 * 1024 * 1024 }

    /// The clients the caller may see; `nil` means all. An API key sees only its client.
    public var visibleClientIDs: [Int]? {
        if let apiKey { return [apiKey.clientID] }
        return nil
    }
}
