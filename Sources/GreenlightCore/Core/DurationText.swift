import Foundation

/// Durations as log lines and messages say them, and the `Retry-After` header as a duration — shared
/// by every outbound HTTP client (Slack, sequencers, the model, websites).
package enum DurationText {
    /// A `Retry-After` header given in seconds, as a duration; nil when absent or not a number of seconds.
    static func retryAfter(_ header: String?) -> Duration? {
        guard let header, let seconds = Int(header.trimmingCharacters(in: .whitespaces)), seconds >= 0 else { return nil }
        return .seconds(seconds)
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// "300 ms" or "5 s".
    package static func describe(_ duration: Duration) -> String {
        let ms = milliseconds(duration)
        return ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
    }
}
