import Foundation
import GreenlightCore

/// The dashboard's date range: whole days from `from` to `to`, inclusive, as typed (`YYYY-MM-DD`);
/// each client's days are its own, in its time zone (the rollup is kept that way).
public struct DashboardRange: Sendable, Equatable {
    public var from: String
    public var to: String

    static let day = 86_400_000

    /// The range from the query's `from` and `to`, by default the last 28 days up to today.
    public init(from: String?, to: String?, now: Int) throws(InputError) {
        let today = LocalDay.of(millis: now, timeZone: "UTC")
        let toText = to.flatMap { $0.isEmpty ? nil : $0 } ?? today
        guard let end = LocalDay.utcMidnight(of: toText) else {
            throw InputError(field: "to", "to must be a date written YYYY-MM-DD, got \"\(toText)\"")
        }
        let fromText = from.flatMap { $0.isEmpty ? nil : $0 } ?? LocalDay.of(millis: end - 27 * Self.day, timeZone: "UTC")
        guard let start = LocalDay.utcMidnight(of: fromText) else {
            throw InputError(field: "from", "from must be a date written YYYY-MM-DD, got \"\(fromText)\"")
        }
        guard start <= end else { throw InputError(field: "from", "from (\(fromText)) is after to (\(toText))") }
        guard end - start <= 3_660 * Self.day else { throw InputError(field: "from", "the range is longer than ten years") }
        self.from = fromText
        self.to = toText
    }

    /// The range's first millisecond (UTC midnight of `from`).
    public var startMillis: Int { LocalDay.utcMidnight(of: from) ?? 0 }
    /// The millisecond after the range (UTC midnight after `to`).
    public var endMillis: Int { (LocalDay.utcMidnight(of: to) ?? 0) + Self.day }
}
