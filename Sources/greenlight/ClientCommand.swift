import ArgumentParser
import GreenlightWork

/// `greenlight client add DIR`: loads a client's context pack from a folder.
struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "client", abstract: "Manage clients.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Add a client (or update it) from a context-pack folder: client.json, pci.md, personas.md, pain_points.md, competitors.json, case_studies/*.md."
        )

        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The context-pack folder.") var directory: String

        func run() async throws {
            let contents = try ContextPackFolder(path: directory).read()
            try await options.withDatabase { database, _, _ in
                let id = try await ClientRepository(database: database).save(profile: contents.profile, pack: contents.pack)
                print(
                    "Client \(contents.profile.name) saved (id \(id)): \(contents.pack.personas.count) personas, \(contents.pack.painPoints.count) pain points, \(contents.pack.competitors.count) competitors, \(contents.pack.caseStudies.count) case studies."
                )
            }
        }
    }
}
