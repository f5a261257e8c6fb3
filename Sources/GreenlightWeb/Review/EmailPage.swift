import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
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
    /// The export run whose CSV file, not uploaded yet, holds this email; nil when none.
    var inFile: Int?
    /// Whether the viewer may take it out of that file.
    var canTakeOut: Bool
    var returnTo: String
}
