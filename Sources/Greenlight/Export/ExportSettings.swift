import Foundation
import SQLKit

/// A client's sequencer settings beside its stored key (SPEC §7): sending accounts, time zone, the
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

    /// The settings stored for the client.
    public static func load(_ sql: any SQLDatabase, clientID: Int) async throws -> ExportSettings {
        guard let row = try await sql.raw("""
            SELECT name, sequencer_accounts, timezone, export_hour, sequencer_daily_limit, schedule_days, schedule_from, schedule_to,
            activate_campaigns, stop_on_reply FROM clients WHERE id = \(bind: clientID)
            """).first() else { throw NotFound("client \(clientID)") }
        return ExportSettings(
            clientName: try row.decode(column: "name", as: String.self),
            accounts: try row.decode(column: "sequencer_accounts", as: String.self).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            timezone: try row.decode(column: "timezone", as: String.self),
            exportHour: try row.decode(column: "export_hour", as: Int.self),
            dailyLimit: try row.decode(column: "sequencer_daily_limit", as: Int.self),
            days: try row.decode(column: "schedule_days", as: String.self).split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) },
            from: try row.decode(column: "schedule_from", as: String.self),
            to: try row.decode(column: "schedule_to", as: String.self),
            activate: try row.decode(column: "activate_campaigns", as: Int.self) == 1,
            stopOnReply: try row.decode(column: "stop_on_reply", as: Int.self) == 1)
    }
}
