/// Instants (milliseconds since 1970) as the pages and the API write them, always in UTC.
///
/// Plain arithmetic instead of Foundation's formatters: the API writes a date per email and a
/// `DateFormatter` or `ISO8601DateFormatter` built per call cost a third of the JSON list's CPU.
package enum DateText {
    /// `2026-12-02 04:46 UTC`, for people.
    package static func format(_ millis: Int) -> String {
        let (day, seconds) = split(millis)
        return LocalDay.text(ofDayNumber: day) + " " + digits(seconds / 3600, 2) + ":" + digits(seconds / 60 % 60, 2) + " UTC"
    }

    /// `2026-12-02T04:46:10.123Z` (RFC 3339 with milliseconds), for machines.
    package static func iso(_ millis: Int) -> String {
        let (day, seconds) = split(millis)
        let fraction = millis - (millis / 1000 - (millis % 1000 < 0 ? 1 : 0)) * 1000
        return LocalDay.text(ofDayNumber: day) + "T" + digits(seconds / 3600, 2) + ":" + digits(seconds / 60 % 60, 2) + ":" + digits(seconds % 60, 2)
            + "." + digits(fraction, 3) + "Z"
    }

    /// `3 Dec 2026`, the day alone (UTC), for a sentence.
    package static func day(_ millis: Int) -> String {
        let parts = LocalDay.text(ofDayNumber: split(millis).day).split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]) else { return format(millis) }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(parts[2]) \(months[parts[1] - 1]) \(parts[0])"
    }

    /// The day number and the seconds into that day (both floored, so instants before 1970 work too).
    private static func split(_ millis: Int) -> (day: Int, seconds: Int) {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return (day, seconds - day * 86_400)
    }

    /// `value` in decimal, zero-padded to `width` digits (a minus sign first when negative).
    static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value.magnitude)
        let padded = text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        return value < 0 ? "-" + padded : padded
    }
}
