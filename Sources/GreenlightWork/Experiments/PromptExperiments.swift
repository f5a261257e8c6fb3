import Foundation
import SQLKit
import GreenlightCore

/// A client's prompt versions and experiments, stored: the current version, the running experiment
/// (one at a time, held by a unique index), starting one, and ending one with its winner — who
/// becomes the client's only version. Every change is in the audit log, in its own transaction.
public struct PromptExperiments: Sendable {
    let database: Database
    let clock: TimeSource

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    /// What drafting the client's contacts reads: its version and the running experiment.
    public func setup(clientID: Int) async throws -> PromptSetup {
        try await database.read { sql in try await Self.setup(sql, clientID: clientID) }
    }

    static func setup(_ sql: any SQLDatabase, clientID: Int) async throws -> PromptSetup {
        let current =
            try await sql.raw("SELECT prompt_name, prompt_instructions FROM clients WHERE id = \(bind: clientID)").first().map {
                PromptVersion(
                    name: try $0.decode(column: "prompt_name", as: String.self),
                    instructions: try $0.decode(column: "prompt_instructions", as: String.self))
            } ?? .standard
        let running = try await sql.raw(
            "SELECT * FROM prompt_experiments WHERE client_id = \(bind: clientID) AND ended_at IS NULL"
        ).first().map(Self.experiment(from:))
        return PromptSetup(current: current, experiment: running)
    }

    /// The client's experiments, the latest first.
    public func all(clientID: Int) async throws -> [PromptExperiment] {
        try await database.read { sql in
            try await sql.raw("SELECT * FROM prompt_experiments WHERE client_id = \(bind: clientID) ORDER BY started_at DESC, id DESC").all()
                .map(Self.experiment(from:))
        }
    }

    /// The experiments running or ended since `since` (ms) of these clients (nil: every client), the
    /// latest first — what the dashboard compares.
    public func recent(clientIDs: [Int]?, since: Int) async throws -> [PromptExperiment] {
        try await database.read { sql in
            try await sql.raw(
                "SELECT * FROM prompt_experiments WHERE (ended_at IS NULL OR ended_at >= \(bind: since))"
                    + SQLStatements.visible("client_id", to: clientIDs) + " ORDER BY started_at DESC, id DESC"
            ).all().map(Self.experiment(from:))
        }
    }

    /// Starts an experiment of the client's current version against `variant`, `variantShareBP` of
    /// the contacts on the variant. Throws an ``InputError`` naming what cannot be used (and changes
    /// nothing); throws one on `name` too when an experiment is already running.
    @discardableResult
    public func start(clientID: Int, variant: PromptVersion, variantShareBP: Int, by actor: Reviewer) async throws -> PromptExperiment {
        let variant = try Self.checked(variant)
        guard (1...9_999).contains(variantShareBP) else {
            throw InputError(field: "share", "share must be more than 0% and less than 100% of the contacts, got \(Self.percent(variantShareBP))")
        }
        let now = clock.nowMillis()
        return try await database.write { sql in
            let setup = try await Self.setup(sql, clientID: clientID)
            if let running = setup.experiment {
                throw InputError(
                    field: "name", "an experiment is already running (\(running.control.name) against \(running.variant.name)): end it first")
            }
            guard variant != setup.current else {
                throw InputError(field: "instructions", "the variant is the current version itself: change its instructions to compare something")
            }
            let seed = SecureToken.make(bytes: 16)
            guard
                let id = try await sql.raw(
                    """
                    INSERT INTO prompt_experiments (client_id, control_name, control_instructions, variant_name, variant_instructions, variant_share_bp, seed, started_at, started_by)
                    VALUES (\(bind: clientID), \(bind: setup.current.name), \(bind: setup.current.instructions), \(bind: variant.name), \(bind: variant.instructions),
                    \(bind: variantShareBP), \(bind: seed), \(bind: now), \(bind: actor.name))
                    ON CONFLICT DO NOTHING RETURNING id
                    """
                ).first()?.decode(column: "id", as: Int.self)
            else { throw InputError(field: "name", "another manager started an experiment for this client just now: reload the page") }
            try await AuditLog.append(
                sql, userID: actor.id, actorName: actor.id == nil ? actor.name : nil, action: "prompt experiment start",
                target: try await Self.clientName(sql, clientID),
                details: "\(setup.current.name) against \(variant.name), \(Self.percent(variantShareBP)) of contacts on \(variant.name)", at: now)
            return PromptExperiment(
                id: id, clientID: clientID, control: setup.current, variant: variant, variantShareBP: variantShareBP, seed: seed, startedAt: now,
                startedBy: actor.name)
        }
    }

    /// Ends the client's running experiment with `winner`, which becomes the client's only version.
    /// Returns false when no experiment was running (another manager ended it).
    @discardableResult
    public func end(clientID: Int, winner: PromptExperiment.Arm, by actor: Reviewer) async throws -> Bool {
        let now = clock.nowMillis()
        return try await database.write { sql in
            guard
                let row = try await sql.raw(
                    """
                    UPDATE prompt_experiments SET ended_at = \(bind: now), ended_by = \(bind: actor.name), winner = \(bind: winner.rawValue)
                    WHERE client_id = \(bind: clientID) AND ended_at IS NULL RETURNING *
                    """
                ).first()
            else { return false }
            let experiment = try Self.experiment(from: row)
            let version = experiment.version(winner)
            try await sql.raw(
                """
                UPDATE clients SET prompt_name = \(bind: version.name), prompt_instructions = \(bind: version.instructions), updated_at = \(bind: now)
                WHERE id = \(bind: clientID)
                """
            ).run()
            try await AuditLog.append(
                sql, userID: actor.id, actorName: actor.id == nil ? actor.name : nil, action: "prompt experiment end",
                target: try await Self.clientName(sql, clientID),
                details: "\(version.name) is the only version (\(experiment.control.name) against \(experiment.variant.name))", at: now)
            return true
        }
    }

    static func checked(_ version: PromptVersion) throws(InputError) -> PromptVersion {
        let name = version.name.trimmingCharacters(in: .whitespacesAndNewlines)
        let instructions = version.instructions.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw InputError(field: "name", "name the variant, so the figures can tell the versions apart") }
        guard name.count <= PromptVersion.nameLimit else {
            throw InputError(field: "name", "the name is \(name.count) characters long; at most \(PromptVersion.nameLimit)")
        }
        guard !instructions.isEmpty else { throw InputError(field: "instructions", "write what the variant tells the agents") }
        guard instructions.count <= PromptVersion.instructionsLimit else {
            throw InputError(
                field: "instructions", "the instructions are \(instructions.count) characters long; at most \(PromptVersion.instructionsLimit)")
        }
        return PromptVersion(name: name, instructions: instructions)
    }

    package static func percent(_ basisPoints: Int) -> String {
        var text = String(format: "%.2f", Double(basisPoints) / 100)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text + "%"
    }

    static func clientName(_ sql: any SQLDatabase, _ clientID: Int) async throws -> String {
        try await sql.raw("SELECT name FROM clients WHERE id = \(bind: clientID)").first()?.decode(column: "name", as: String.self)
            ?? "client \(clientID)"
    }

    static func experiment(from row: any SQLRow) throws -> PromptExperiment {
        PromptExperiment(
            id: try row.decode(column: "id", as: Int.self), clientID: try row.decode(column: "client_id", as: Int.self),
            control: PromptVersion(
                name: try row.decode(column: "control_name", as: String.self),
                instructions: try row.decode(column: "control_instructions", as: String.self)),
            variant: PromptVersion(
                name: try row.decode(column: "variant_name", as: String.self),
                instructions: try row.decode(column: "variant_instructions", as: String.self)),
            variantShareBP: try row.decode(column: "variant_share_bp", as: Int.self), seed: try row.decode(column: "seed", as: String.self),
            startedAt: try row.decode(column: "started_at", as: Int.self), startedBy: try row.decode(column: "started_by", as: String.self),
            endedAt: try row.decode(column: "ended_at", as: Int?.self), endedBy: try row.decode(column: "ended_by", as: String?.self),
            winner: try row.decode(column: "winner", as: String?.self).flatMap(PromptExperiment.Arm.init(rawValue:)))
    }
}
