import Foundation
import GreenlightCore
import GreenlightWork
import GreenlightExport

/// The export settings form of the export page: the values it shows and the posted fields read back
/// into a client's settings. Every field is posted (checkboxes absent mean off); a value that is not
/// a number is named here, the rest is checked by ``ExportSettings/validated()``.
struct ExportSettingsForm {
    struct Day {
        var number: Int
        var name: String
        var checked: Bool
    }

    /// A time zone of the list the form offers.
    struct Zone {
        var name: String
        var selected: Bool
    }

    var accounts: String
    var timezone: String
    var exportHour: Int
    var dailyLimit: Int
    var days: [Day]
    var from: String
    var to: String
    var activate: Bool
    var stopOnReply: Bool
    /// Every IANA time zone this machine knows (the saved one first among equals, selected).
    var timezones: [Zone]

    /// The IANA names, sorted, read once.
    static let zoneNames: [String] = TimeZone.knownTimeZoneIdentifiers.sorted()

    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    init(_ settings: ExportSettings) {
        accounts = settings.accounts.joined(separator: ", ")
        timezone = settings.timezone
        exportHour = settings.exportHour
        dailyLimit = settings.dailyLimit
        days = Self.dayNames.enumerated().map { Day(number: $0.offset, name: $0.element, checked: settings.days.contains($0.offset)) }
        from = settings.from
        to = settings.to
        activate = settings.activate
        stopOnReply = settings.stopOnReply
        let names = Self.zoneNames.contains(settings.timezone) ? Self.zoneNames : [settings.timezone] + Self.zoneNames
        timezones = names.map { Zone(name: $0, selected: $0 == settings.timezone) }
    }

    /// The settings with the posted values, unchecked.
    static func read(_ fields: [String: String], into settings: ExportSettings) throws(InputError) -> ExportSettings {
        var result = settings
        result.accounts = (fields["accounts"] ?? "").split(whereSeparator: { $0 == "," || $0.isNewline || $0 == " " }).map(String.init).filter {
            !$0.isEmpty
        }
        result.timezone = (fields["timezone"] ?? "").trimmingCharacters(in: .whitespaces)
        result.exportHour = try number(fields, "export_hour", "the export hour")
        result.dailyLimit = try number(fields, "daily_limit", "the daily lead limit")
        result.days = dayNames.indices.filter { fields["day_\($0)"] != nil }
        result.from = (fields["from"] ?? "").trimmingCharacters(in: .whitespaces)
        result.to = (fields["to"] ?? "").trimmingCharacters(in: .whitespaces)
        result.activate = fields["activate"] != nil
        result.stopOnReply = fields["stop_on_reply"] != nil
        return result
    }

    private static func number(_ fields: [String: String], _ name: String, _ label: String) throws(InputError) -> Int {
        let text = (fields[name] ?? "").trimmingCharacters(in: .whitespaces)
        guard let value = Int(text) else { throw InputError(field: name, "\(label) must be a whole number, got \"\(text)\"") }
        return value
    }
}
