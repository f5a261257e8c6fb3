import Foundation
import Hummingbird
import GreenlightWork

/// Per-request state: who is calling (a logged-in user or an API key) and their session.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var user: User?
    public var session: UserSession?
    public var apiKey: APIKeyRepository.KeyOwner?
    /// The clients a logged-in user is assigned to (`nil` for an admin: all), set at authentication.
    public var assignedClientIDs: [Int]?
    /// The connection's peer address, when the connection has one.
    public let peerAddress: String?
    /// The caller's address: the peer, or what a trusted proxy reports (set by ``ClientAddressMiddleware``).
    public var clientAddress: String?
    /// Banners for managers: demotions and paused clients (set by ``AuthenticationMiddleware``).
    var alerts: [RolloutAlerts.Alert] = []
    /// The route this request matched in ``RoutePolicy`` (set by ``AuthorizationMiddleware``).
    var route: RoutePolicy.Route?
    /// The caller presented the metrics scraper's token (it may read `/metrics`, nothing else).
    var metricsScraper = false

    public init(source: Source) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
        clientAddress = peerAddress
    }

    /// The largest body this request may send: the matched route's limit (1 MB unless it takes uploads).
    public var maxBodySize: Int { route?.bodyLimit ?? RoutePolicy.defaultBodyLimit }

    /// The clients the caller may see; `nil` means all (an admin). An API key sees only its client;
    /// anyone else unknown sees nothing.
    public var visibleClientIDs: [Int]? {
        if let apiKey { return [apiKey.clientID] }
        if user != nil { return assignedClientIDs }
        return []
    }
}
