import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import HTTPTypes
import SQLKit
import Testing
import GreenlightTestSupport

/// The rollout end to end on both databases: drafts gated by the client's phase, blind review of the
/// sample, the kill switch, and the demotion guard.
@Suite("Rollout flow")
struct RolloutFlowTests {
    static let manager = Reviewer(id: nil, name: "Test Manager")

    /// Puts the client in `phase` with thresholds every seeded draft clears, and the sample rate given.
    static func configure(_ database: Database, clientID: Int, phase: RolloutPhase, sampleRate: String = "0.05") async throws {
        let rollout = RolloutRepository(database: database)
        var settings = try await rollout.state(clientID: clientID).settings
        try RolloutSettingsFields.named("partial_threshold")!.set("0", on: &settings)
        try RolloutSettingsFields.named("full_threshold")!.set("0", on: &settings)
        try RolloutSettingsFields.named("sample_rate")!.set(sampleRate, on: &settings)
        try await rollout.update(settings: settings, clientID: clientID, by: manager, reason: "test")
        var current = RolloutPhase.shadow
        while current != phase, let next = current.higher {
            #expect(try await rollout.changePhase(clientID: clientID, from: current, to: next, action: .promote, by: manager, reason: "test"))
            current = next
        }
    }

    static func statuses(_ database: Database) async throws -> [String: Int] {
        try await database.read { sql in
            try await sql.raw("SELECT status, COUNT(*) AS n FROM generated_emails GROUP BY status").all().reduce(into: [:]) {
                $0[try $1.decode(column: "status", as: String.self)] = try $1.decode(column: "n", as: Int.self)
            }
        }
    }

    @Test("in shadow every draft waits for a human, with the machine's verdict and threshold recorded", arguments: DatabaseDialect.allCases)
    func shadowVerdicts(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 0)
            try await Self.configure(database, clientID: seed.clientID, phase: .shadow)
            _ = try await Seed.importAndDraft(database, seed: seed, contacts: 20)
            #expect(try await Self.statuses(database) == ["pending_review": 20])
            #expect(
                try await Seed.count(
                    database,
                    "SELECT COUNT(*) AS n FROM generated_emails WHERE gate_phase = 'shadow' AND gate_threshold = 0 AND gate_verdict = 'auto' AND gate_outcome = 'review'"
                ) == 20)
        }
    }

    @Test(
        "in full about 5% of auto-approvable drafts are sampled and shown blind; the rest are auto-approved with an event",
        arguments: DatabaseDialect.allCases)
    func fullPhase(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 0)
            try await Self.configure(database, clientID: seed.clientID, phase: .full, sampleRate: "0.05")
            _ = try await Seed.importAndDraft(database, seed: seed, contacts: 200)
            let counts = try await Self.statuses(database)
            let sampled = counts["sampled", default: 0]
            #expect(counts["approved_auto", default: 0] + sampled == 200)
            #expect((2...22).contains(sampled), "about 5% of 200 held back, got \(sampled)")
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM review_events WHERE action = 'auto_approve'") == 200 - sampled)
            // The same draw, recomputed independently from each email's id and the client's seed.
            let state = try await RolloutRepository(database: database).state(clientID: seed.clientID)
            let ids = try await database.read { sql in
                try await sql.raw("SELECT id, status FROM generated_emails").all().map {
                    (try $0.decode(column: "id", as: Int.self), try $0.decode(column: "status", as: String.self))
                }
            }
            for (id, status) in ids {
                #expect((status == "sampled") == SampleDraw.isSampled(emailID: id, seed: state.settings.sampleSeed, rateBP: 500))
            }

            // Blind review: the sampled card shows no score, deductions or verdict until decided.
            _ = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            var web = WebClient(client)
            _ = try await web.login("sam@team.example")
            let sampledID = try #require(ids.first { $0.1 == "sampled" }?.0)
            let score = try await Seed.count(database, "SELECT quality_score AS n FROM generated_emails WHERE id = \(sampledID)")
            let page = try await web.request("/review/\(sampledID)")
            #expect(page.text.contains("Blind review: the score is hidden until you decide"))
            #expect(!page.text.contains("Quality score \(score) of 100"))
            #expect(!page.text.contains("class=\"deductions\"") && !page.text.contains("The gate would"))
            let queue = try await web.request("/review?status=sampled")
            #expect(queue.text.contains("id=\"email-\(sampledID)\"") && !queue.text.contains("Quality score \(score) of 100"))
            let api = try await web.request("/api/v1/emails/\(sampledID)").json()
            #expect(
                api["blind"] as? Bool == true && api["quality_score"] == nil && api["gate"] == nil && (api["deductions"] as? [Any])?.isEmpty == true)
            _ = try await web.post("/review/\(sampledID)/approve")
            let after = try await web.request("/review/\(sampledID)")
            #expect(after.text.contains("Quality score \(score) of 100"), "once decided, the score is shown")
            #expect(after.text.contains("The gate would auto-approve this draft (threshold 0, full); it was held back for blind review."))
        }
    }

    @Test("the kill switch keeps new drafts for humans; resuming changes nothing already decided", arguments: DatabaseDialect.allCases)
    func killSwitch(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 0)
            try await Self.configure(database, clientID: seed.clientID, phase: .partial, sampleRate: "0")
            let rollout = RolloutRepository(database: database)
            _ = try await Seed.importAndDraft(database, seed: seed, contacts: 5, prefix: "before")
            try await rollout.setPaused(true, clientID: seed.clientID, by: Self.manager, reason: "checking a complaint")
            _ = try await Seed.importAndDraft(database, seed: seed, contacts: 5, prefix: "client-paused")
            try await rollout.setPaused(false, clientID: seed.clientID, by: Self.manager, reason: nil)
            try await rollout.setPaused(true, clientID: nil, by: Self.manager, reason: "everyone stops")
            #expect(try await rollout.state(clientID: seed.clientID).paused)
            _ = try await Seed.importAndDraft(database, seed: seed, contacts: 5, prefix: "all-paused")
            try await rollout.setPaused(false, clientID: nil, by: Self.manager, reason: nil)
            #expect(try await Self.statuses(database) == ["approved_auto": 5, "pending_review": 10], "paused drafts wait; resuming changes nothing")
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails WHERE gate_outcome = 'paused'") == 10)
            let history = try await rollout.history(clientID: seed.clientID)
            #expect(history.map(\.action).prefix(4) == [.resume, .pause, .resume, .pause])
            #expect(history.first { $0.action == .pause && $0.clientID != nil }?.reason == "checking a complaint")
            try await rollout.setPaused(false, clientID: nil, by: Self.manager, reason: nil)
            #expect(try await rollout.history(clientID: seed.clientID).count == history.count, "resuming what is not paused records nothing")
        }
    }

    @Test(
        "a burst of rejections in partial demotes the client at once, recorded; new drafts are gated by shadow", arguments: DatabaseDialect.allCases)
    func demotion(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 0)
            try await Self.configure(database, clientID: seed.clientID, phase: .partial, sampleRate: "1")
            _ = try await Seed.importAndDraft(database, seed: seed, contacts: 30)
            #expect(try await Self.statuses(database) == ["sampled": 30], "a 100% sample sends every draft to a human")
            let sam = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            let notified = Notifications()
            let decider = GuardedDecider(
                database: database, demotions: DemotionGuard(database: database, notify: { await notified.add($0) }), logger: TestDatabase.logger)
            let ids = try await ReviewQueue(database: database).page(QueueFilter(status: .all)).emails.map(\.id)
            for id in ids.prefix(15) { _ = try await decider.decide(.approve, emailID: id, by: sam.reviewer) }
            for id in ids[15..<25] { _ = try await decider.decide(.reject(reason: .lowQuality, details: nil), emailID: id, by: sam.reviewer) }
            #expect(
                try await RolloutRepository(database: database).state(clientID: seed.clientID).phase == .partial,
                "10 of 100 is the limit, not over it")
            _ = try await decider.decide(.reject(reason: .incorrectInfo, details: nil), emailID: ids[25], by: sam.reviewer)
            let state = try await RolloutRepository(database: database).state(clientID: seed.clientID)
            #expect(state.phase == .shadow, "the 11th rejection demotes at once")
            let change = try #require(try await RolloutRepository(database: database).history(clientID: seed.clientID).first)
            #expect(change.action == .demote && change.actorName == RolloutGate.actor.name)
            #expect(change.before == ["phase": "partial"] && change.after == ["phase": "shadow"])
            #expect(change.reason == "11 of the last 26 human-reviewed drafts in partial were rejected (the limit is 10 of 100)")
            #expect(await notified.all.map(\.to) == [.shadow])
            _ = try await decider.decide(.reject(reason: .lowQuality, details: nil), emailID: ids[26], by: sam.reviewer)
            #expect(await notified.all.count == 1, "already in shadow: nothing more")
            _ = try await Seed.importAndDraft(database, seed: seed, contacts: 3, prefix: "after")
            #expect(
                try await Seed.count(database, "SELECT COUNT(*) AS n FROM generated_emails WHERE gate_phase = 'shadow' AND status = 'pending_review'")
                    == 3)
        }
    }

    @Test(
        "after a restore the window starts again: one rejection does not demote; old rejections age out of the last 100",
        arguments: DatabaseDialect.allCases)
    func demotionWindow(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 0)
            try await Self.configure(database, clientID: seed.clientID, phase: .partial, sampleRate: "1")
            _ = try await Seed.importAndDraft(database, seed: seed, contacts: 135)
            let sam = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            let decider = GuardedDecider(database: database, demotions: DemotionGuard(database: database), logger: TestDatabase.logger)
            let rollout = RolloutRepository(database: database)
            let ids = try await ReviewQueue(database: database).page(QueueFilter(status: .all), limit: 200).emails.map(\.id)
            #expect(ids.count == 135)
            func reject(_ id: Int) async throws {
                _ = try await decider.decide(.reject(reason: .lowQuality, details: nil), emailID: id, by: sam.reviewer)
            }

            // The window slides: 10 rejections (the limit), 100 approvals, 10 more — the first 10 have left the last 100.
            for id in ids.prefix(10) { try await reject(id) }
            for id in ids[10..<110] { _ = try await decider.decide(.approve, emailID: id, by: sam.reviewer) }
            for id in ids[110..<120] { try await reject(id) }
            #expect(try await rollout.state(clientID: seed.clientID).phase == .partial, "20 rejections in 120 decisions, but 10 in the last 100")
            try await reject(ids[120])
            #expect(try await rollout.state(clientID: seed.clientID).phase == .shadow, "the 11th in the last 100 demotes")

            // Restored, the window starts at the restore: the 11 rejections before it no longer count.
            #expect(
                try await rollout.changePhase(
                    clientID: seed.clientID, from: .shadow, to: .partial, action: .restore, by: Self.manager, reason: "fixed the prompt"))
            try await reject(ids[121])
            #expect(try await rollout.state(clientID: seed.clientID).phase == .partial, "one rejection after a restore does not demote")
            for id in ids[122..<131] { try await reject(id) }
            #expect(try await rollout.state(clientID: seed.clientID).phase == .partial, "10 since the restore: the limit, not over it")
            try await reject(ids[131])
            #expect(try await rollout.state(clientID: seed.clientID).phase == .shadow, "the 11th since the restore demotes")
        }
    }

    /// Demotions the guard reported.
    actor Notifications {
        var all: [DemotionGuard.Demotion] = []
        func add(_ demotion: DemotionGuard.Demotion) { all.append(demotion) }
    }
}
