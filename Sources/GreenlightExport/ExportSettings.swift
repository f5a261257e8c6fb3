import Foundation
import SQLKit
import GreenlightCore
import GreenlightWork

/// A client's sequencer settings beside its stored key: sending accounts, time zone, the
/// hour of the daily export, the campaign's daily lead limit and sending window, whether a new
/// campaign starts at once, and whether a reply stops the sequence.
public struct ExportSettings: Sendable, Equatable {
    public var clientName: String
    public var accounts: [String]
    public var timezone: String
    public var exportHour: Int
    public var dailyLimit: Int
    /// Weekdays the campaign sends on, 0 = Sunday … 6 = Saturday.
    public var days: [Int]
    public var from: String
    public var to: String
    public var activate: Bool
    public var stopOnReply: Bool

    /// A client's settings, read on their own.
    public static func load(_ database: Database, clientID: Int) async throws -> ExportSettings {
        try await database.read { sql in try await load(sql, clientID: clientID) }
    }

    /// The settings stored for the client.
    public static func load(_ sql: any SQLDatabase, clientID: Int) async throws -> ExportSettings {
        guard
            let row = try await sql.raw(
                """
                SELECT name, sequencer_accounts, timezone, export_hour, sequencer_daily_limit, schedule_days, schedule_from, schedule_to,
                activate_campaigns, stop_on_reply FROM clients WHERE id = \(bind: clientID)
                """
            ).first()
        else { throw NotFound("client \(clientID)") }
        return ExportSettings(
            clientName: try row.decode(column: "name", as: String.self),
            accounts: try row.decode(column: "sequencer_accounts", as: String.self).split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty },
            timezone: try row.decode(column: "timezone", as: String.self),
            exportHour: try row.decode(column: "export_hour", as: Int.self),
            dailyLimit: try row.decode(column: "sequencer_daily_limit", as: Int.self),
            days: try row.decode(column: "schedule_days", as: String.self).split(separator: ",").compactMap {
                Int($0.trimmingCharacters(in: .whitespaces))
            },
            from: try row.decode(column: "schedule_from", as: String.self),
            to: try row.decode(column: "schedule_to", as: String.self),
            activate: try row.decode(column: "activate_campaigns", as: Int.self) == 1,
            stopOnReply: try row.decode(column: "stop_on_reply", as: Int.self) == 1)
    }
}

extension ExportSettings {
    /// The client's sequencer, nil when none is connected.
    public static func sequencerKind(_ sql: any SQLDatabase, clientID: Int) async throws -> SequencerKind? {
        try await sql.raw("SELECT sequencer_kind FROM clients WHERE id = \(bind: clientID)").first()?.decode(
            column: "sequencer_kind", as: String?.self
        ).flatMap(SequencerKind.init(rawValue:))
    }

    /// Checks every value, naming the first one that is wrong.
    public func validated() throws(InputError) -> ExportSettings {
        guard TimeZone(identifier: timezone) != nil else {
            throw InputError(field: "timezone", "timezone \"\(timezone)\" is not a time zone name such as Europe/Paris or America/New_York")
        }
        guard (0...23).contains(exportHour) else { throw InputError(field: "export_hour", "the export hour must be 0 to 23, got \(exportHour)") }
        guard (1...100_000).contains(dailyLimit) else {
            throw InputError(field: "daily_limit", "the daily lead limit must be 1 to 100000, got \(dailyLimit)")
        }
        guard !days.isEmpty, days.allSatisfy({ (0...6).contains($0) }), Set(days).count == days.count else {
            throw InputError(
                field: "days", "days must be distinct weekdays 0 (Sunday) to 6 (Saturday), got \(days.map(String.init).joined(separator: ","))")
        }
        for (field, value) in [("from", from), ("to", to)] where Self.minutes(value) == nil {
            throw InputError(field: field, "\(field) must be a time written HH:MM, got \"\(value)\"")
        }
        guard let start = Self.minutes(from), let end = Self.minutes(to), start < end else {
            throw InputError(field: "to", "the sending window must end after it starts (\(from)–\(to))")
        }
        for account in accounts where !EmailAddress.isValid(account) {
            throw InputError(field: "accounts", "sending account \"\(account)\" is not an email address")
        }
        return self
    }

    /// Minutes since midnight of `HH:MM`.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
            (0...23).contains(hours), (0...59).contains(minutes)
        else { return nil }
        return hours * 60 + minutes
    }

    /// Stores the settings in the caller's transaction; a new time zone moves every day of the client's rollup.
    public func save(_ sql: any SQLDatabase, clientID: Int, now: Int) async throws {
        try await sql.raw(
            """
            UPDATE clients SET sequencer_accounts = \(bind: accounts.joined(separator: ",")), export_hour = \(bind: exportHour),
            sequencer_daily_limit = \(bind: dailyLimit), schedule_days = \(bind: days.map(String.init).joined(separator: ",")),
            schedule_from = \(bind: from), schedule_to = \(bind: to), activate_campaigns = \(bind: activate ? 1 : 0),
            stop_on_reply = \(bind: stopOnReply ? 1 : 0), updated_at = \(bind: now) WHERE id = \(bind: clientID)
            """
        ).run()
        try await DailyRollup.setTimeZone(sql, clientID: clientID, to: timezone)
    }

    /// Stores the settings (checked by the caller) and the audit entry naming what changed from
    /// `previous`, in one transaction. `userID` nil: the command line.
    public func save(_ database: Database, clientID: Int, clientName: String, replacing previous: ExportSettings, userID: Int?, now: Int)
        async throws
    {
        try await database.write { sql in
            try await save(sql, clientID: clientID, now: now)
            try await AuditLog.append(
                sql, userID: userID, action: "export settings saved", target: clientName, details: previous.auditDetails(to: self), at: now)
        }
    }
}
