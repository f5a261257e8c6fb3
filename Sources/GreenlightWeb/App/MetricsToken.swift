import Foundation
import GreenlightCore

/// `GREENLIGHT_METRICS_TOKEN`: the bearer token a Prometheus scraper presents at `/metrics`
/// (`authorization: {credentials: …}` in its scrape config). Unset: only admins' sessions read it.
public enum MetricsToken {
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> String? {
        guard let token = environment["GREENLIGHT_METRICS_TOKEN"], !token.isEmpty else { return nil }
        guard token.count >= 24, token.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw ConfigurationError("GREENLIGHT_METRICS_TOKEN must be at least 24 characters without spaces (e.g. `openssl rand -hex 24`)")
        }
        return token
    }
}
