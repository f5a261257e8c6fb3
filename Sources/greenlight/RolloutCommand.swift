import ArgumentParser
import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork

/// `greenlight rollout show|set --client NAME`: a client's phase, readiness and settings, and changes
/// to them, recorded like a manager's click.
struct RolloutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout", abstract: "Show or change a client's rollout phase and settings.",
        subcommands: [Show.self, Set.self])

    /// The name CLI changes are recorded under.
    static let actor = Reviewer(id: nil, name: "command line")

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the client's phase, kill switch, readiness for the next phase and settings.")

        @OptionGroup var options: DatabaseOptions
        @Option(name: .long, help: "The client's name.") var client: String

        func run() async throws {
            try await options.withDatabase { database, _, _ in
                let owner = try await requireClient(client, in: database)
                let state = try await RolloutRepository(database: database).state(clientID: owner.id)
                let readiness = try await RolloutReadiness.measure(state, evidence: RolloutEvidence(database: database))
                print(
                    "\(state.clientName): \(state.phase.rawValue)\(state.paused ? " (paused\(state.pausedGlobally ? " for every client" : ""))" : "")"
                )
                if let next = readiness.next {
                    print("Ready for \(next.rawValue): \(readiness.ready ? "yes" : "not yet")")
                    for criterion in readiness.criteria {
                        let value = criterion.value.map { String(format: "%.4g", $0) } ?? "—"
                        let interval = criterion.low.map { String(format: "%.4g–%.4g", $0, criterion.high ?? $0) } ?? "—"
                        print(
                            "  \(criterion.name): \(value) (target \(readiness.targets[criterion.name] ?? ""), 95% interval \(interval), n = \(criterion.count)): \(criterion.status.rawValue)"
                        )
                    }
                }
                print("Settings:")
                for field in RolloutSettingsFields.all { print("  \(field.name) = \(field.text(state.settings))") }
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change the client's phase (one step at a time) or settings; recorded with --reason.")

        @OptionGroup var options: DatabaseOptions
        @Option(name: .long, help: "The client's name.") var client: String
        @Option(name: .long, help: "shadow, partial or full.") var phase: String?
        @Option(name: .long, help: "Auto-approve threshold in partial (0–100).") var partialThreshold: String?
        @Option(name: .long, help: "Auto-approve threshold in full (0–100).") var fullThreshold: String?
        @Option(name: .long, help: "Share held back for blind review, 0–1 (or 5%).") var sampleRate: String?
        @Option(name: .long, help: "Any setting as NAME=VALUE (see `rollout show`); repeatable.") var setting: [String] = []
        @Option(name: .long, help: "Why (required to promote against an unmet criterion).") var reason: String?

        func run() async throws {
            let target = try phase.map { text -> RolloutPhase in
                guard let value = RolloutPhase(rawValue: text) else { throw ValidationError("--phase \(text) is not one of shadow, partial, full") }
                return value
            }
            var assignments: [(String, String)] = [
                ("partial_threshold", partialThreshold), ("full_threshold", fullThreshold), ("sample_rate", sampleRate),
            ]
            .compactMap { name, value in value.map { (name, $0) } }
            for pair in setting {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw ValidationError("--setting \(pair): write NAME=VALUE, e.g. min_reviewed=300") }
                assignments.append((parts[0], parts[1]))
            }
            guard target != nil || !assignments.isEmpty else { throw ValidationError("nothing to change: give --phase or a setting") }
            try await options.withDatabase { database, _, _ in
                let owner = try await requireClient(client, in: database)
                let repository = RolloutRepository(database: database)
                var settings = try await repository.state(clientID: owner.id).settings
                do {
                    for (name, value) in assignments {
                        guard let field = RolloutSettingsFields.named(name) else {
                            throw InputError(
                                field: name, "\(name) is not a rollout setting; use \(RolloutSettingsFields.all.map(\.name).joined(separator: ", "))")
                        }
                        try field.set(value, on: &settings)
                    }
                    settings = try settings.validated()
                    var move: RolloutRepository.PhaseMove?
                    if let target { move = try await RolloutControl(database: database).plan(clientID: owner.id, to: target, reason: reason) }
                    // Phase and settings together, in one transaction.
                    try await repository.apply(
                        clientID: owner.id, move: move, settings: assignments.isEmpty ? nil : settings, by: RolloutCommand.actor, reason: reason)
                    if let target {
                        print(
                            move.map { "\(owner.name): \($0.action.rawValue) to \(target.rawValue)." }
                                ?? "\(owner.name) is already in \(target.rawValue).")
                    }
                    if !assignments.isEmpty { print("\(owner.name): settings saved.") }
                } catch let error as InputError {
                    throw ValidationError(error.message)
                }
            }
        }
    }
}

/// `greenlight pause [--client NAME]`: the kill switch — auto-approval and export stop, nothing is lost.
struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Pause auto-approval and export for one client, or for every client.")

    @OptionGroup var target: KillSwitchOptions

    func run() async throws {
        try await target.set(paused: true) { name in
            "Auto-approval and export are paused for \(name ?? "every client"). New drafts wait for a human."
        }
    }
}

/// `greenlight resume [--client NAME]`: turns the kill switch off again; nothing already decided changes.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Resume auto-approval and export for one client, or lift the pause on every client.")

    @OptionGroup var target: KillSwitchOptions

    func run() async throws {
        try await target.set(paused: false) { name in
            name.map { "\($0) resumed." } ?? "The pause on every client is lifted (clients paused one by one stay paused)."
        }
    }
}

/// What `pause` and `resume` share: which client (or all), why, and turning the switch.
struct KillSwitchOptions: ParsableArguments {
    @OptionGroup var options: DatabaseOptions
    @Option(name: .long, help: "The client's name; without it, every client.") var client: String?
    @Option(name: .long, help: "Why.") var reason: String?

    func set(paused: Bool, saying message: @escaping @Sendable (String?) -> String) async throws {
        try await options.withDatabase { database, _, _ in
            var owner: ClientRecord?
            if let client { owner = try await requireClient(client, in: database) }
            try await RolloutRepository(database: database).setPaused(paused, clientID: owner?.id, by: RolloutCommand.actor, reason: reason)
            print(message(owner?.name))
        }
    }
}
