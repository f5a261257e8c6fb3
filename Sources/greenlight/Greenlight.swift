import ArgumentParser

/// The `greenlight` command: the web app and its administration, one subcommand per job.
@main
struct GreenlightCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "greenlight",
        abstract: "Review AI-written cold emails before they go out, and hand the job to the machine as it earns trust.",
        subcommands: [
            ServeCommand.self, DemoCommand.self, MigrateCommand.self, ClientCommand.self, TemplateCommand.self,
            ImportCommand.self, GenerateCommand.self, UserCommand.self, APIKeyCommand.self, SecretsCommand.self, ExplainCommand.self,
            RolloutCommand.self, PauseCommand.self, ResumeCommand.self, RollupCommand.self, ExportCommand.self, SequencerCommand.self,
            ModelCommand.self, OutcomesCommand.self, BackupCommand.self, RestoreCheckCommand.self,
        ]
    )
}
