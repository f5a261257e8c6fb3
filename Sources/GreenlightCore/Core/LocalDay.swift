import Foundation
import Synchronization

/// A calendar day as a client lives it: `YYYY-MM-DD` in the client's IANA time zone, the key of the
/// daily rollup. The same function runs inside SQLite (as `greenlight_local_day`, from the rollup's
/// triggers) and in Swift, so a day is cut the same way wherever it is computed; PostgreSQL uses its
/// own `AT TIME ZONE` with the same zone names.
public enum LocalDay {
    private static let zones = Mutex<[String: TimeZone]>([:])

    /// The zone of that name, or UTC for a name the system does not know (names are validated when saved).
    package static func zone(_ identifier: String) -> TimeZone {
        zones.withLock { cache in
            if let zone = cache[identifier] { return zone }
            let zone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "UTC")!
            cache[identifier] = zone
            return zone
        }
    }

    /// The local day of an instant (milliseconds since 1970) in the zone named `timeZone`.
    public static func of(millis: Int, timeZone: String) -> String {
        let offset = zone(timeZone).secondsFromGMT(for: Clock.date(fromMillis: millis))
        let seconds = millis / 1000 - (millis % 1000 < 0 ? 1 : 0) + offset
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return text(ofDayNumber: days)
    }

    /// Days since 1970-01-01 of a `YYYY-MM-DD` text, or nil when it is not a date.
    public static func dayNumber(of text: String) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The `YYYY-MM-DD` text of a day number (days since 1970-01-01).
    public static func text(ofDayNumber number: Int) -> String {
        let (year, month, day) = civil(dayNumber: number)
        return DateText.digits(year, 4) + "-" + DateText.digits(month, 2) + "-" + DateText.digits(day, 2)
    }

    /// The year, month and day of a day number (days since 1970-01-01): civil from days, Howard Hinnant's algorithm.
    static func civil(dayNumber number: Int) -> (year: Int, month: Int, day: Int) {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Midnight UTC of a `YYYY-MM-DD` day, in milliseconds; nil when it is not a date.
    public static func utcMidnight(of text: String) -> Int? {
        dayNumber(of: text).map { $0 * 86_400_000 }
    }

    /// The day `offset` days after (or before) a `YYYY-MM-DD` day.
    public static func adding(_ offset: Int, to text: String) -> String? {
        dayNumber(of: text).map { self.text(ofDayNumber: $0 + offset) }
    }

    package static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
