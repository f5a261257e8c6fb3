import Foundation
import NIOPosix
import GreenlightCore
#if canImport(Glibc)
    import Glibc
#endif

/// Which addresses a website fetch may connect to: public ones only — never loopback, link-local
/// (cloud metadata at 169.254.169.254), private, carrier-grade NAT, multicast or reserved — unless
/// private fetching is allowed (`GREENLIGHT_ALLOW_PRIVATE_FETCH=1`, for tests and closed networks).
/// A host name is resolved here and the fetch connects to the very address that was checked, so a
/// name that resolves elsewhere the second time (DNS rebinding) cannot get around it.
public struct AddressGuard: Sendable {
    /// Networks a fetch never reaches unless private fetching is allowed.
    static let refused: [IPAddressRange] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/32", "2001:db8::/32", "2002::/16", "fc00::/7",
        "fe80::/10", "fec0::/10", "ff00::/8",
    ].map { try! IPAddressRange(parsing: $0) }  // fixed, valid ranges (translation prefixes that can carry a private IPv4 included)

    /// Every address is allowed (private fetching on).
    public var allowPrivate: Bool
    /// Networks allowed even so (a test's loopback server, while other private addresses stay refused).
    public var alsoAllowed: [IPAddressRange]
    /// Resolves a host name to its addresses (the system's resolver unless a test answers instead).
    let resolver: @Sendable (String) -> [String]

    public init(
        allowPrivate: Bool = false, alsoAllowed: [IPAddressRange] = [], resolver: @escaping @Sendable (String) -> [String] = AddressGuard.resolve
    ) {
        self.allowPrivate = allowPrivate
        self.alsoAllowed = alsoAllowed
        self.resolver = resolver
    }

    /// Private fetching as the environment says (`GREENLIGHT_ALLOW_PRIVATE_FETCH=1`).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> AddressGuard {
        AddressGuard(allowPrivate: environment["GREENLIGHT_ALLOW_PRIVATE_FETCH"] == "1")
    }

    /// Why a fetch may not connect to `address`, or nil when it may.
    public func refusal(of address: String) -> String? {
        if allowPrivate || alsoAllowed.contains(where: { $0.contains(address) }) { return nil }
        guard IPAddressRange.bytes(of: address) != nil else { return "\(address) is not an IP address" }
        if let range = Self.refused.first(where: { $0.contains(address) }) {
            return "\(address) is a private, loopback, link-local or reserved address (\(range))"
        }
        return nil
    }

    /// The address a fetch of `host` connects to: the first one the name resolves to, checked; an IP
    /// literal is checked as it is. Throws the reason when it resolves to nothing or is refused.
    public func address(for host: String) async throws(WebsiteError) -> String {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let address: String
        if IPAddressRange.bytes(of: bare) != nil {
            address = bare
        } else {
            let found: [String]
            let resolver = self.resolver
            do { found = try await NIOThreadPool.singleton.runIfActive { resolver(bare) } } catch {
                throw .unreachable("\(host) could not be resolved: \(error)")
            }
            guard let first = found.first else { throw .unreachable("\(host) does not resolve to any address") }
            address = first
        }
        if let why = refusal(of: address) { throw .refused("\(host): \(why)") }
        return address
    }

    /// The addresses a host name resolves to (IPv4 first), by the system's resolver.
    public static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(list) }
        var v4: [String] = [], v6: [String] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            if current.pointee.ai_family == AF_INET, let socket = current.pointee.ai_addr {
                var address = socket.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                if inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count)) != nil { v4.append(text(buffer)) }
            } else if current.pointee.ai_family == AF_INET6, let socket = current.pointee.ai_addr {
                var address = socket.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                if inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil { v6.append(text(buffer)) }
            }
            entry = current.pointee.ai_next
        }
        var seen = Set<String>()
        return (v4 + v6).filter { seen.insert($0).inserted }
    }

    /// A NUL-terminated C string in a buffer, as text.
    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Why a page was not read: the fetch was refused, the site did not answer, or the answer is not a page.
public enum WebsiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL or an address it leads to may not be fetched.
    case refused(String)
    /// No answer: a name that does not resolve, no connection, a timeout.
    case unreachable(String)
    /// An answer that is not a readable page: an error status, not HTML, too large, too many redirects.
    case unusable(String)

    public var description: String {
        switch self {
        case .refused(let why): return "not fetched: \(why)"
        case .unreachable(let why): return "no answer: \(why)"
        case .unusable(let why): return "not a readable page: \(why)"
        }
    }
}
