import ArgumentParser
import Foundation
import GreenlightWeb
import GreenlightWork
import GreenlightCore

/// `greenlight demo`: loads the demo client and contacts, drafts them, and serves.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Load demo data (client, template, 120+ contacts, drafts, a login) and serve.")

    @OptionGroup var options: DatabaseOptions
    @OptionGroup var server: ServerOptions

    @Flag(name: .long, help: "Load the demo data and exit without serving.")
    var noServe = false

    func run() async throws {
        try await options.withDatabase { database, paths, logger in
            let result = try await DemoSetup(database: database, paths: paths).run()
            if result.alreadyLoaded {
                print("Demo client \(result.clientName) was already loaded (\(result.drafted) drafts).")
            } else {
                print(
                    "Loaded demo client \(result.clientName): \(result.imported) contacts imported, \(result.skipped.count) rows skipped, \(result.drafted) drafts waiting for review."
                )
                for row in result.skipped {
                    print("  row \(row.row): \(row.reason)")
                }
            }
            if noServe { return }
            let app = try await buildApplication(configuration: server.configuration(paths: paths), database: database, logger: logger)
            print(
                """

                Open http://\(server.hostname):\(server.port)/review
                Log in as \(result.email) with password \(result.password)
                (Ctrl-C stops the server; data stays in \(database.location))
                """)
            fflush(nil)
            try await app.runUntilSignalled()
        }
    }
}
