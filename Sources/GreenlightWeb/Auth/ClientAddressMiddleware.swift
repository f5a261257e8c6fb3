import HTTPTypes
import Hummingbird
import GreenlightCore

/// Sets ``AppRequestContext/clientAddress``: the peer, or the address a trusted proxy forwards.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    let addresses: ClientAddress

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !addresses.trustedProxies.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientAddress = addresses.resolve(peer: context.peerAddress, forwardedFor: request.headers[values: Self.forwardedFor])
        return try await next(request, context)
    }
}
