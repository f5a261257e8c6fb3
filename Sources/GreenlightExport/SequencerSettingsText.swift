import GreenlightCore
import GreenlightWork

/// A client's export settings in one plain paragraph, for the page and `greenlight sequencer show`.
public enum SequencerSettingsText {
    /// - Parameters:
    ///   - sequencer: the client's sequencer kind: for Instantly, a line says which zone name it is sent.
    ///   - now: when, for the zone's clock over the years ahead (milliseconds since 1970).
    public static func describe(_ settings: ExportSettings, sequencer: SequencerKind? = nil, now: Int) -> String {
        let hour = settings.exportHour < 10 ? "0\(settings.exportHour)" : "\(settings.exportHour)"
        let zone = sequencer == .instantly ? "\n  time zone: " + InstantlyTimeZone.describe(settings.timezone, from: Clock.date(fromMillis: now)) : ""
        return """
            \(settings.clientName): export daily at \(hour):00 \(settings.timezone)
              sending accounts: \(settings.accounts.isEmpty ? "none set" : settings.accounts.joined(separator: ", "))
              campaign: \(dayNames(settings.days)) \(settings.from)–\(settings.to), \
            \(settings.dailyLimit) new leads a day, \(settings.activate ? "started at once" : "left a draft"), \
            \(settings.stopOnReply ? "stops on reply" : "continues after a reply")
            """ + zone
    }

    /// Weekday numbers (0 = Sunday) as short names, "Mon Tue Wed"; a number outside 0…6 is left out.
    static func dayNames(_ days: [Int]) -> String {
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        return days.compactMap { names.indices.contains($0) ? names[$0] : nil }.joined(separator: " ")
    }
}
