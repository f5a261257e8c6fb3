import ArgumentParser
import Foundation
import GreenlightCore
import GreenlightWork
import GreenlightExport

/// `greenlight sequencer show|set --client NAME`: the client's export settings beside its stored key
/// (kind and key stay with `greenlight secrets set`). Saving first asks the sequencer for the key's
/// sending accounts, so a refused, unpaid or under-scoped key is said plainly and nothing changes.
struct SequencerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sequencer", abstract: "Show or change a client's export settings.",
        subcommands: [Show.self, Set.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the client's export settings.")

        @OptionGroup var options: DatabaseOptions
        @Option(name: .long, help: "The client's name.") var client: String

        func run() async throws {
            try await options.withDatabase { database, _, _ in
                let owner = try await requireClient(client, in: database)
                let (settings, kind) = try await database.read { sql in
                    (
                        try await ExportSettings.load(sql, clientID: owner.id),
                        try await ExportSettings.sequencerKind(sql, clientID: owner.id)
                    )
                }
                print(SequencerCommand.describe(settings, sequencer: kind))
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change the client's export settings; the stored key is checked against the sequencer first.")

        @OptionGroup var options: DatabaseOptions
        @Option(name: .long, help: "The client's name.") var client: String
        @Option(name: .long, help: "Sending accounts, comma-separated (each must be one the key sees).") var accounts: String?
        @Option(name: .long, help: "IANA time zone of the schedule and the export hour, e.g. Europe/Paris.") var timezone: String?
        @Option(name: .long, help: "Hour of the daily export in the client's time zone, 0–23 (default 14).") var exportHour: Int?
        @Option(name: .long, help: "The campaign's daily lead limit.") var dailyLimit: Int?
        @Option(name: .long, help: "Sending weekdays, 0 = Sunday … 6 = Saturday, comma-separated (default 1,2,3,4,5).") var days: String?
        @Option(name: .long, help: "Start of the sending window, HH:MM.") var from: String?
        @Option(name: .long, help: "End of the sending window, HH:MM.") var to: String?
        @Flag(inversion: .prefixedNo, help: "Start each new campaign at once (default: leave it a draft).") var activate: Bool?
        @Flag(inversion: .prefixedNo, help: "Stop a lead's sequence when they reply (default on).") var stopOnReply: Bool?

        func run() async throws {
            let box = try SecretBox.fromEnvironment()
            try await options.withDatabase { database, _, _ in
                let owner = try await requireClient(client, in: database)
                var settings = try await database.read { sql in try await ExportSettings.load(sql, clientID: owner.id) }
                let stored = settings
                if let accounts {
                    settings.accounts = accounts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                }
                if let timezone { settings.timezone = timezone }
                if let exportHour { settings.exportHour = exportHour }
                if let dailyLimit { settings.dailyLimit = dailyLimit }
                if let days {
                    settings.days = try days.split(separator: ",").map { text in
                        guard let day = Int(text.trimmingCharacters(in: .whitespaces)) else {
                            throw ValidationError("--days: \"\(text)\" is not a weekday number 0–6")
                        }
                        return day
                    }
                }
                if let from { settings.from = from }
                if let to { settings.to = to }
                if let activate { settings.activate = activate }
                if let stopOnReply { settings.stopOnReply = stopOnReply }
                let checked: ExportSettings
                do { checked = try settings.validated() } catch let error as InputError { throw ValidationError(error.message) }
                let keys = try await ClientSecrets(database: database, box: box).get(clientID: owner.id)
                do { try await SequencerKeyCheck(factory: .fromEnvironment()).verify(checked, keys: keys) } catch let error as InputError {
                    throw ValidationError(error.message)
                }
                try await checked.save(
                    database, clientID: owner.id, clientName: owner.name, replacing: stored, userID: nil, now: TimeSource.system.nowMillis())
                print(SequencerCommand.describe(checked, sequencer: keys.sequencerKind))
            }
        }
    }

    static func describe(_ settings: ExportSettings, sequencer: SequencerKind?) -> String {
        SequencerSettingsText.describe(settings, sequencer: sequencer, now: TimeSource.system.nowMillis())
    }
}
