import Foundation
import GreenlightCore

/// `GREENLIGHT_PUBLIC_URL`: where people and sequencers reach this app from outside (e.g.
/// `https://greenlight.example.com`), for the webhook addresses given to Instantly and Smartlead and
/// the one-time links of invitations. Unset, a page builds them from the request's `Host`.
public enum PublicURL {
    /// The configured base URL (no trailing slash), nil when unset; a value that is not an http(s)
    /// URL of a host without query or fragment stops the server at start, naming what is wrong.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> String? {
        guard let raw = environment["GREENLIGHT_PUBLIC_URL"]?.trimmedWhitespace(), !raw.isEmpty else { return nil }
        return try check(raw)
    }

    static func check(_ raw: String) throws(ConfigurationError) -> String {
        let text = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
            throw ConfigurationError(
                "GREENLIGHT_PUBLIC_URL must start with https:// (or http://), e.g. https://greenlight.example.com; it is \"\(raw)\"")
        }
        guard let host = url.host, !host.isEmpty else { throw ConfigurationError("GREENLIGHT_PUBLIC_URL names no host: \"\(raw)\"") }
        guard url.query == nil, url.fragment == nil, url.user == nil else {
            throw ConfigurationError("GREENLIGHT_PUBLIC_URL must have no query, fragment or user name: \"\(raw)\"")
        }
        return text
    }

    /// The base URL for links made while answering a request: the configured one, else the request's host.
    static func base(configured: String?, host: String?, secure: Bool) -> String {
        configured ?? "\(secure ? "https" : "http")://\(host ?? "localhost:8080")"
    }
}
