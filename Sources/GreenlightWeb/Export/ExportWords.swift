import Foundation
import GreenlightWork
import GreenlightExport

/// How the export page says a run's and a lead's state, and who started a run: in words, not the
/// columns' codes (`awaiting_upload`, `claimed`).
enum ExportWords {
    static func run(_ status: ExportRunStatus) -> String {
        switch status {
        case .running: "running"
        case .awaitingUpload: "waiting for upload"
        case .finished: "finished"
        case .failed: "failed"
        case .stopped: "stopped by the kill switch"
        case .abandoned: "abandoned"
        case .cancelled: "cancelled (not uploaded)"
        }
    }

    static func item(_ status: ExportItemStatus, runStatus: ExportRunStatus) -> String {
        switch status {
        case .claimed: runStatus == .awaitingUpload ? "waiting for upload" : "waiting to be sent"
        case .sending: "being sent (waiting for the sequencer's answer)"
        case .sent: "sent"
        case .failed: "failed (still approved)"
        case .released: "back to approved"
        }
    }

    static func trigger(_ trigger: String) -> String {
        switch trigger {
        case "schedule": "daily schedule"
        case "manual": "by hand"
        case "command": "command line"
        default: trigger
        }
    }

    /// "Uploads 404 leads; the sequencer starts 50 new leads a day on Monday to Friday, so the last
    /// starts about 9 sending days from the first." Nil without leads.
    static func spread(leads: Int, dailyLimit: Int, days: [Int]) -> String? {
        guard leads > 0 else { return nil }
        let names = ExportSettingsForm.dayNames
        let on: String
        if days.sorted() == [1, 2, 3, 4, 5] {
            on = "Monday to Friday"
        } else if days.count == 7 {
            on = "every day"
        } else {
            on = days.sorted().compactMap { names.indices.contains($0) ? names[$0] : nil }.joined(separator: ", ")
        }
        let uploads = "Uploads \(QueueCount.grouped(leads)) lead\(leads == 1 ? "" : "s")"
        guard dailyLimit > 0 else { return uploads + "; with a daily limit of 0 the sequencer starts none of them." }
        let sendingDays = (leads + dailyLimit - 1) / dailyLimit
        let limit = "the sequencer starts up to \(QueueCount.grouped(dailyLimit)) new leads a day on \(on)"
        return sendingDays <= 1
            ? uploads + "; \(limit), so all of them start on the first sending day."
            : uploads + "; \(limit), so the last of them starts on the \(sendingDays)\(ordinal(sendingDays)) sending day."
    }

    static func ordinal(_ n: Int) -> String {
        if (11...13).contains(n % 100) { return "th" }
        switch n % 10 {
        case 1: return "st"
        case 2: return "nd"
        case 3: return "rd"
        default: return "th"
        }
    }
}
