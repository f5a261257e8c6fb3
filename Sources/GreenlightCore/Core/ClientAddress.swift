import Foundation

/// Which address a request comes from, for throttling and the log: the connection's peer, or — only
/// when that peer is a proxy the operator trusts (`--trusted-proxy`) — the address the proxy reports
/// in `X-Forwarded-For`.
public struct ClientAddress: Sendable {
    public let trustedProxies: [IPAddressRange]

    public init(trustedProxies: [IPAddressRange] = []) {
        self.trustedProxies = trustedProxies
    }

    /// The client's address. `X-Forwarded-For` is read right to left, skipping trusted proxies: the
    /// first address that is not one of them is the client (anything to its left was written by the
    /// client itself and can be forged). Without a trusted peer the header is ignored.
    public func resolve(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer, isTrusted(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard IPAddressRange.bytes(of: hop) != nil else { return peer }
            if !isTrusted(hop) { return hop }
        }
        return hops.first ?? peer
    }

    private func isTrusted(_ address: String) -> Bool {
        trustedProxies.contains { $0.contains(address) }
    }
}
