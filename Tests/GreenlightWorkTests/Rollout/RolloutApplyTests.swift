import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import Testing
import GreenlightTestSupport

/// A rollout change made of several parts (phase, settings, kill switch — one API or CLI call) is
/// written in one transaction: stopped after any part, nothing of it remains; run whole, each part is
/// recorded once.
@Suite("Rollout changes are whole")
struct RolloutApplyTests {
    struct Stop: Error {}

    @Test("stopped after the phase or the settings, nothing changed; whole, all three recorded once", arguments: DatabaseDialect.allCases)
    func wholeOrNothing(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 0)
            let rollout = RolloutRepository(database: database)
            let manager = Reviewer(id: nil, name: "Boss")
            var settings = try await rollout.state(clientID: seed.clientID).settings
            settings.partialThreshold = 80
            let move = RolloutRepository.PhaseMove(from: .shadow, to: .partial, action: .promote)
            for step in ["phase", "settings", "paused"] {
                await #expect(throws: Stop.self) {
                    try await rollout.apply(
                        clientID: seed.clientID, move: move, settings: settings, paused: true, by: manager, reason: "weekly call",
                        afterStep: { if $0 == step { throw Stop() } })
                }
                let state = try await rollout.state(clientID: seed.clientID)
                #expect(
                    state.phase == .shadow && state.settings.partialThreshold == 90 && state.pausedAt == nil, "stopped after \(step): nothing remains"
                )
                #expect(try await rollout.history(clientID: seed.clientID).isEmpty, "stopped after \(step): nothing recorded")
            }
            try await rollout.apply(clientID: seed.clientID, move: move, settings: settings, paused: true, by: manager, reason: "weekly call")
            let state = try await rollout.state(clientID: seed.clientID)
            #expect(state.phase == .partial && state.settings.partialThreshold == 80 && state.pausedAt != nil)
            #expect(
                try await rollout.history(clientID: seed.clientID).map(\.action).sorted { $0.rawValue < $1.rawValue } == [
                    .pause, .promote, .settings,
                ])
            // The same call again finds the client no longer in shadow: a conflict, and nothing recorded twice.
            await #expect(throws: ReviewConflict.self) {
                try await rollout.apply(clientID: seed.clientID, move: move, settings: settings, paused: true, by: manager, reason: "weekly call")
            }
            #expect(try await rollout.history(clientID: seed.clientID).count == 3)
        }
    }
}
