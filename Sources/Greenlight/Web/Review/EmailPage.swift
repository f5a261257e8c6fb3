import Foundation
/// One email's page: the card and its history.
struct EmailPage {
    struct HistoryEntry {
        var who: String
        var action: String
        var at: String
        var reason: String?
        var details: String?
        var seconds: String?
        var diff: [CardView.DiffView]
        var hasDiff: Bool

        init(_ event: ReviewEvent) {
            who = event.userName ?? "Greenlight"
            action = event.action
            at = DateText.format(event.createdAt)
            reason = event.reason.map { RejectionReason(rawValue: $0)?.label ?? $0 }
            details = event.details
            seconds = event.reviewMilliseconds.map { String(format: "%.1f s", Double($0) / 1000) }
            if let before = event.beforeText, let after = event.afterText {
                diff = CardView.diffView(from: before, to: after)
            } else {
                diff = []
            }
            hasDiff = !diff.isEmpty
        }
    }

    var page: PageChrome
    var card: CardView
    var history: [HistoryEntry]
    var hasHistory: Bool
    var canUndo: Bool
    var returnTo: String
}

/// Dates as pages show them: `2026-11-23 14:05 UTC`.
enum DateText {
    static func format(_ millis: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: Clock.date(fromMillis: millis))
    }

    static func iso(_ millis: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Clock.date(fromMillis: millis))
    }
}
