import ArgumentParser
import Foundation
import GreenlightWork

/// `greenlight template add FILE --client NAME`: loads a template written as markdown with front matter.
struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "template", abstract: "Manage templates.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a template (or update the one with the same name) for a client.")

        @OptionGroup var options: DatabaseOptions
        @Argument(help: "Markdown file with YAML front matter (name, strategy, subject, min_words, max_words, follow_ups).") var file: String
        @Option(name: .long, help: "The client's name.") var client: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("cannot read \(file) as UTF-8 text")
            }
            let template = try TemplateFile.parse(text, source: file)
            try await options.withDatabase { database, _, _ in
                let owner = try await requireClient(client, in: database)
                let id = try await TemplateRepository(database: database).save(template, clientID: owner.id)
                print("Template \(template.name) saved for \(owner.name) (id \(id)); variables: \(template.variables.joined(separator: ", ")).")
            }
        }
    }
}
