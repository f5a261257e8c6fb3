import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import Testing
import GreenlightTestSupport

/// Promotions, demotions, restores, settings, pauses and resumes appear in the audit log with what
/// changed and why (issue 34, §3), written in the rollout change's own transaction: a change that
/// does not happen leaves no entry.
@Suite("Rollout changes in the audit log")
struct RolloutAuditTests {
    struct Stop: Error {}

    static func rolloutEntries(_ database: Database) async throws -> [AuditLog.Entry] {
        try await AuditLog(database: database).recent().filter { $0.action.hasPrefix("rollout ") }
    }

    @Test(
        "each change is an entry with its target, what changed and the reason; a change stopped midway leaves none",
        arguments: DatabaseDialect.allCases)
    func entries(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 0)
            let boss = try await Seed.user(database, email: "boss@team.example", role: .admin, name: "Boss")
            let rollout = RolloutRepository(database: database)
            let manager = Reviewer(id: boss.id, name: "Boss")
            var settings = try await rollout.state(clientID: seed.clientID).settings
            settings.partialThreshold = 88
            let move = RolloutRepository.PhaseMove(from: .shadow, to: .partial, action: .promote)
            await #expect(throws: Stop.self) {
                try await rollout.apply(
                    clientID: seed.clientID, move: move, settings: settings, by: manager, reason: "weekly call",
                    afterStep: { if $0 == "settings" { throw Stop() } })
            }
            #expect(try await Self.rolloutEntries(database).isEmpty, "nothing happened, nothing audited")

            try await rollout.apply(clientID: seed.clientID, move: move, settings: settings, by: manager, reason: "weekly call")
            try await rollout.setPaused(true, clientID: nil, by: manager, reason: "bounce spike")
            try await rollout.setPaused(true, clientID: nil, by: manager, reason: "again")
            _ = try await rollout.changePhase(
                clientID: seed.clientID, from: .partial, to: .shadow, action: .demote,
                by: Reviewer(id: nil, name: "the demotion guard"), reason: "rejections above 5% of the last 100")
            let entries = try await Self.rolloutEntries(database)
            #expect(
                entries.map(\.action) == ["rollout demote", "rollout pause", "rollout settings", "rollout promote"],
                "newest first; a pause already on is no change")
            #expect(entries.map(\.target) == ["Northwind Ledger", "every client", "Northwind Ledger", "Northwind Ledger"])
            #expect(entries[3].details == "phase shadow → partial; reason: weekly call" && entries[3].actor == "Boss", "\(entries[3])")
            #expect(entries[2].details.contains("90 → 88") && entries[2].details.hasSuffix("; reason: weekly call"), "\(entries[2].details)")
            #expect(entries[1].details == "paused false → true; reason: bounce spike")
            #expect(
                entries[0].details == "phase partial → shadow; reason: rejections above 5% of the last 100; by the demotion guard"
                    && entries[0].actor == "command line",
                "\(entries[0])")
        }
    }
}
