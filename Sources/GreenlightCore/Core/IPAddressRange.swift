import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 network in CIDR notation (`10.0.0.0/8`, `::1/128`, or one address alone), as given
/// to `greenlight serve --trusted-proxy`.
public struct IPAddressRange: Sendable, Equatable, CustomStringConvertible {
    /// The network's address bytes (4 for IPv4, 16 for IPv6).
    let bytes: [UInt8]
    let prefixLength: Int
    public let description: String

    /// Parses `address[/prefix]`; throws a message naming what is wrong.
    public init(parsing text: String) throws(ConfigurationError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let bytes = Self.bytes(of: parts[0]) else {
            throw ConfigurationError("\"\(text)\" is not an IP address or CIDR range (examples: 10.0.0.0/8, 192.168.1.10, ::1/128)")
        }
        let width = bytes.count * 8
        var length = width
        if parts.count == 2 {
            guard let value = Int(parts[1]), (0...width).contains(value) else {
                throw ConfigurationError("\"\(text)\": the prefix length after / must be a number from 0 to \(width)")
            }
            length = value
        }
        self.bytes = Self.masked(bytes, prefixLength: length)
        self.prefixLength = length
        self.description = trimmed
    }

    /// Whether `address` (an IPv4 or IPv6 address as text) is inside this range. An IPv4 address
    /// written as IPv4-mapped IPv6 (`::ffff:10.0.0.1`) counts as IPv4.
    public func contains(_ address: String) -> Bool {
        guard let candidate = Self.bytes(of: address), candidate.count == bytes.count else { return false }
        return Self.masked(candidate, prefixLength: prefixLength) == bytes
    }

    /// The bytes of an IPv4 or IPv6 address, or `nil` when `text` is neither. IPv4-mapped IPv6 gives 4 bytes.
    package static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return Array(bytes[12..<16])
        }
        return bytes
    }

    private static func masked(_ bytes: [UInt8], prefixLength: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bitsKept = max(0, min(8, prefixLength - index * 8))
            return bitsKept == 8 ? byte : byte & ~(UInt8(0xff) >> bitsKept)
        }
    }
}
