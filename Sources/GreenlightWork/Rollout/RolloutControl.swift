import Foundation
import GreenlightCore
import GreenlightEmails

/// A manager's moves between phases, with the rules the rollout sets: one phase at a time; promotion is
/// a person's decision (the app never promotes by itself) and, against an unmet criterion, needs a
/// typed reason; going back up to the phase an automatic demotion left is a restore; going down by
/// hand is a demotion by that person. Every move is recorded by ``RolloutRepository``.
public struct RolloutControl: Sendable {
    let repository: RolloutRepository
    let evidence: RolloutEvidence

    public init(database: Database, clock: TimeSource = .system) {
        repository = RolloutRepository(database: database, clock: clock)
        evidence = RolloutEvidence(database: database, clock: clock)
    }

    /// Moves the client to `target`; returns the action recorded (nil when it was already there).
    @discardableResult
    public func move(clientID: Int, to target: RolloutPhase, by actor: Reviewer, reason: String?) async throws -> RolloutChange.Action? {
        guard let move = try await plan(clientID: clientID, to: target, reason: reason) else { return nil }
        try await repository.apply(clientID: clientID, move: move, by: actor, reason: reason)
        return move.action
    }

    /// Checks a move to `target` against the rules and says how it will be recorded; nil when the
    /// client is already there. Throws an ``InputError`` when the move is not allowed as asked.
    public func plan(clientID: Int, to target: RolloutPhase, reason: String?) async throws -> RolloutRepository.PhaseMove? {
        let state = try await repository.state(clientID: clientID)
        guard target != state.phase else { return nil }
        let action: RolloutChange.Action
        if target == state.phase.lower {
            action = .demote
        } else if target == state.phase.higher {
            let last = try await repository.history(clientID: clientID, includeGlobal: false).first {
                [.promote, .demote, .restore].contains($0.action)
            }
            if let last, last.action == .demote, last.before["phase"] == target.rawValue, last.userID == nil {
                action = .restore
            } else {
                action = .promote
                let readiness = try await RolloutReadiness.measure(state, evidence: evidence)
                let unmet = readiness.criteria.filter { $0.status != .met }
                let typed = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                if !unmet.isEmpty, typed.isEmpty {
                    throw InputError(
                        field: "reason",
                        "\(unmet.count) criterion\(unmet.count == 1 ? " is" : "a are") not met yet (\(unmet.map { ReadinessForecast.words($0.name) }.joined(separator: ", "))): type a reason to promote anyway"
                    )
                }
            }
        } else {
            throw InputError(field: "phase", "move one phase at a time: \(state.clientName) is in \(state.phase.rawValue)")
        }
        return RolloutRepository.PhaseMove(from: state.phase, to: target, action: action)
    }
}
