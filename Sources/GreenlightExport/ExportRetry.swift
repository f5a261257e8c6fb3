import Foundation
import GreenlightCore

/// When the schedule tries again a run that failed and stayed unfinished (leads whose call went
/// unanswered, a campaign not started): 1, 5, 15 and 60 minutes after its 1st, 2nd, 3rd and 4th
/// failure, then at the client's next export hour — not every minute. "Run now" is never held back.
public enum ExportRetry {
    /// The waits after the first failures, in minutes.
    public static let minutes = [1, 5, 15, 60]

    /// The instant (ms) from which the schedule may try the run again, after its `failures`-th
    /// failure at `failedAt`.
    public static func next(failures: Int, failedAt: Int, timeZone: String, exportHour: Int) -> Int {
        guard failures > 0 else { return failedAt }
        if failures <= minutes.count { return failedAt + minutes[failures - 1] * 60_000 }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = LocalDay.zone(timeZone)
        let after = Clock.date(fromMillis: failedAt)
        guard let hour = calendar.nextDate(after: after, matching: DateComponents(hour: exportHour, minute: 0, second: 0), matchingPolicy: .nextTime)
        else {
            return failedAt + 24 * 3_600_000
        }
        return Int((hour.timeIntervalSince1970 * 1000).rounded())
    }
}
