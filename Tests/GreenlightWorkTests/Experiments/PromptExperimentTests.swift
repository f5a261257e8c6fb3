import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
import SQLKit
import Testing
import GreenlightTestSupport

/// Prompt experiments, on both databases: the split is a reproducible hash of the address; a bad
/// variant or share is named and changes nothing, one experiment at a time; during one, each
/// contact's agents are told its arm's instructions (the fake model records the prompts) and the
/// draft records its arm; the comparison counts each arm; ending it makes the winner the only version.
@Suite("Prompt experiments", .timeLimit(.minutes(15)))
struct PromptExperimentTests {
    static func experiment(seed: String, shareBP: Int) -> PromptExperiment {
        PromptExperiment(
            id: 1, clientID: 1, control: .standard, variant: PromptVersion(name: "Question opener", instructions: "Open with a question."),
            variantShareBP: shareBP, seed: seed, startedAt: 0, startedBy: "Boss")
    }

    @Test("the arm is a hash of the address and the seed: the same contact always gets the same one, and 20% of 10,000 are on the variant")
    func split() {
        let experiment = Self.experiment(seed: "seed-a", shareBP: 2_000)
        let addresses = (0..<10_000).map { "lead\($0)@company\($0 % 97).example" }
        let variant = addresses.filter { experiment.arm(for: $0) == .variant }.count
        #expect((1_800...2_200).contains(variant), "2,000 expected, σ = 40: \(variant)")
        #expect(addresses.allSatisfy { experiment.arm(for: $0) == experiment.arm(for: $0) })
        #expect(experiment.arm(for: "  Lead7@Company7.example ") == experiment.arm(for: "lead7@company7.example"), "case and spaces do not count")
        let other = Self.experiment(seed: "seed-b", shareBP: 2_000)
        #expect(addresses.contains { experiment.arm(for: $0) != other.arm(for: $0) }, "another experiment splits otherwise")
    }

    @Test("56/70 against 48/80: the variant's approval is higher (0.0524 to 0.3339); 3 of 3 against 2 of 3 decides nothing")
    func verdicts() {
        let decided = ExperimentComparison(
            experiment: Self.experiment(seed: "s", shareBP: 5_000), control: .init(drafts: 80, reviewed: 80, approved: 48),
            variant: .init(drafts: 70, reviewed: 70, approved: 56))
        let approval = decided.rows[0]
        #expect(approval.name == "approval_rate" && approval.verdict == .variantHigher)
        #expect(abs((approval.difference.difference ?? 0) - 0.2) < 1e-9 && abs(approval.difference.low - 0.0524) < 0.00005)
        #expect(decided.rows.first { $0.name == "rejection_rate" }?.verdict == .notEnoughEvidence, "no rejection either side")
        #expect(decided.rows.first { $0.name == "reply_rate" }?.verdict == .notEnoughEvidence, "nothing sent")
        let swapped = ExperimentComparison(experiment: decided.experiment, control: decided.variant, variant: decided.control)
        #expect(swapped.rows[0].verdict == .controlHigher)
        let small = ExperimentComparison(
            experiment: decided.experiment, control: .init(drafts: 3, reviewed: 3, approved: 2, rejected: 1),
            variant: .init(drafts: 3, reviewed: 3, approved: 3))
        #expect(small.rows.allSatisfy { $0.verdict == .notEnoughEvidence })
    }

    @Test(
        "a bad variant or share is named and stores nothing; one experiment at a time; every change in the audit log",
        arguments: DatabaseDialect.allCases)
    func startAndEnd(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 0)
            let experiments = PromptExperiments(database: database)
            let boss = Reviewer(id: nil, name: "Boss")
            func refused(_ version: PromptVersion, share: Int = 5_000) async throws -> String? {
                do {
                    try await experiments.start(clientID: seed.clientID, variant: version, variantShareBP: share, by: boss)
                    return nil
                } catch let error as InputError { return error.field + ": " + error.message }
            }
            #expect(
                try await refused(PromptVersion(name: " ", instructions: "x")) == "name: name the variant, so the figures can tell the versions apart"
            )
            #expect(try await refused(PromptVersion(name: "Short", instructions: "  ")) == "instructions: write what the variant tells the agents")
            #expect(
                try await refused(PromptVersion(name: String(repeating: "n", count: 61), instructions: "x"))?.hasPrefix("name: the name is 61")
                    == true)
            #expect(try await refused(PromptVersion(name: "Short", instructions: "x"), share: 10_000)?.hasPrefix("share:") == true)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM prompt_experiments") == 0, "nothing stored")

            let started = try await experiments.start(
                clientID: seed.clientID, variant: PromptVersion(name: " Short ", instructions: " Keep it under 80 words. "), variantShareBP: 3_000,
                by: boss)
            #expect(started.variant == PromptVersion(name: "Short", instructions: "Keep it under 80 words.") && started.control == .standard)
            #expect(
                try await refused(PromptVersion(name: "Other", instructions: "y"))?.hasPrefix(
                    "name: an experiment is already running (Standard against Short)") == true)
            #expect(try await experiments.setup(clientID: seed.clientID).experiment?.id == started.id)

            #expect(try await experiments.end(clientID: seed.clientID, winner: .variant, by: boss))
            #expect(try await !experiments.end(clientID: seed.clientID, winner: .control, by: boss), "nothing running any more")
            let setup = try await experiments.setup(clientID: seed.clientID)
            #expect(setup.current == PromptVersion(name: "Short", instructions: "Keep it under 80 words.") && setup.experiment == nil)
            #expect(
                try await refused(PromptVersion(name: "Short", instructions: "Keep it under 80 words."))
                    == "instructions: the variant is the current version itself: change its instructions to compare something")
            let audit = try await database.read { sql in
                try await sql.raw("SELECT action, details FROM audit_log WHERE action LIKE 'prompt experiment%' ORDER BY id").all().map {
                    "\(try $0.decode(column: "action", as: String.self)): \(try $0.decode(column: "details", as: String.self))"
                }
            }
            #expect(
                audit == [
                    "prompt experiment start: Standard against Short, 30% of contacts on Short",
                    "prompt experiment end: Short is the only version (Standard against Short)",
                ])
        }
    }

    @Test(
        "each contact's agents are told its arm's instructions, each draft records its arm, the comparison counts them, and the winner drafts alone after",
        arguments: DatabaseDialect.allCases)
    func drafting(_ dialect: DatabaseDialect) async throws {
        try await FakeWebsite.run { site, _ in
            try await FakeModel.run { fake, base in
                fake.set { $0.responder = { body in .object(AgentTeamTests.answers[FakeModel.schemaName(body)] ?? [:]) } }
                try await TestDatabase.with(dialect) { database in
                    let seed = try await Seed.make(database, contacts: 0)
                    let experiments = PromptExperiments(database: database)
                    let instructions = "Open with a question about their month-end close."
                    let experiment = try await experiments.start(
                        clientID: seed.clientID, variant: PromptVersion(name: "Question opener", instructions: instructions), variantShareBP: 5_000,
                        by: Reviewer(id: nil, name: "Boss"))
                    // Three contacts on each arm, all at one company (its answers are cached per arm, never shared).
                    var chosen: [PromptExperiment.Arm: [String]] = [:]
                    for index in 0..<200 where chosen.values.map(\.count).reduce(0, +) < 6 {
                        let address = "lead\(index)@quaylink.example"
                        let arm = experiment.arm(for: address)
                        if chosen[arm, default: []].count < 3 { chosen[arm, default: []].append(address) }
                    }
                    let addresses = (chosen[.control] ?? []) + (chosen[.variant] ?? [])
                    try #require(addresses.count == 6)
                    var lines = ["first_name,last_name,email,company_name,website,industry,job_title"]
                    for (index, address) in addresses.enumerated() {
                        lines.append("Person\(index),Martin,\(address),Quaylink,\(site),Logistics,Head of Operations")
                    }
                    let batch = try await ContactImporter(database: database).importCSV(
                        .bytes(Array(lines.joined(separator: "\n").utf8)), fileName: "experiment.csv", clientID: seed.clientID,
                        templateID: seed.templateID
                    ).batchID
                    _ = try await DraftGenerator(database: database, filler: ModelDraftingTests.filler(model: base, database: database)).generate(
                        batchID: batch)
                    #expect(fake.requests.count > 0)
                    for index in 0..<fake.requests.count {
                        let messages = fake.messages(index)
                        let user = messages.last ?? ""
                        guard let person = (0..<6).first(where: { user.contains("Prospect: Person\($0) Martin") }) else {
                            Issue.record("request \(index) names no contact")
                            continue
                        }
                        let onVariant = experiment.arm(for: addresses[person]) == .variant
                        #expect((messages.first ?? "").contains(instructions) == onVariant, "request \(index), contact \(addresses[person])")
                    }
                    let drafts = try await database.read { sql in
                        try await sql.raw("SELECT id, contact_email, experiment_id, experiment_arm, prompt_version FROM generated_emails ORDER BY id")
                            .all()
                    }
                    try #require(drafts.count == 6)
                    var ids: [PromptExperiment.Arm: [Int]] = [:]
                    var emailOf: [Int: String] = [:]
                    for row in drafts {
                        emailOf[try row.decode(column: "id", as: Int.self)] = try row.decode(column: "contact_email", as: String.self).lowercased()
                        let arm = experiment.arm(for: try row.decode(column: "contact_email", as: String.self))
                        #expect(try row.decode(column: "experiment_id", as: Int?.self) == experiment.id)
                        #expect(try row.decode(column: "experiment_arm", as: String?.self) == arm.rawValue)
                        #expect(
                            try row.decode(column: "prompt_version", as: String.self)
                                == (arm == .variant ? "\(AgentPrompt.version) · Question opener" : AgentPrompt.version))
                        ids[arm, default: []].append(try row.decode(column: "id", as: Int.self))
                    }

                    // Control: two approved (one sent, replied with interest), one rejected. Variant: three approved, two sent, one replied.
                    let sam = Reviewer(id: nil, name: "Sam")
                    let decider = ReviewDecider(database: database)
                    let control = ids[.control] ?? [], variant = ids[.variant] ?? []
                    for id in control.prefix(2) + variant { _ = try await decider.decide(.approve, emailID: id, by: sam) }
                    _ = try await decider.decide(.reject(reason: .lowQuality, details: nil), emailID: control[2], by: sam)
                    try await database.write { sql in
                        try await sql.raw(
                            """
                            UPDATE generated_emails SET status = 'sent', export_campaign_id = 'cmp-1', sent_at = 1796000000000
                            WHERE id IN (\(binds: [control[0], variant[0], variant[1]]))
                            """
                        ).run()
                    }
                    func event(_ id: Int, _ kind: OutcomeKind, _ label: InterestLabel? = nil) -> OutcomeEvent {
                        OutcomeEvent(
                            vendor: "instantly", eventType: "test", kind: kind, label: label?.rawValue ?? "", campaignID: "cmp-1",
                            leadEmail: emailOf[id] ?? "", step: 1, occurredAt: 1_796_000_600_000)
                    }
                    _ = try await OutcomeRecorder(database: database).record(
                        [event(control[0], .reply), event(control[0], .interest, .interested), event(variant[1], .reply)],
                        clientID: seed.clientID, source: .webhook)
                    let comparison = try await ExperimentComparison.read(database, experiment: experiment)
                    #expect(comparison.control == .init(drafts: 3, reviewed: 3, approved: 2, rejected: 1, sent: 1, replied: 1, positive: 1))
                    #expect(comparison.variant == .init(drafts: 3, reviewed: 3, approved: 3, sent: 2, replied: 1))
                    #expect(comparison.rows.allSatisfy { $0.verdict == .notEnoughEvidence }, "three against three decides nothing")

                    // The variant wins: the next batch is told its instructions, and is no longer in an experiment.
                    #expect(try await experiments.end(clientID: seed.clientID, winner: .variant, by: Reviewer(id: nil, name: "Boss")))
                    let before = fake.requests.count
                    let next = try await ModelDraftingTests.batch(database, seed: seed, site: site, count: 2, prefix: "after", company: "Otherco")
                    _ = try await DraftGenerator(database: database, filler: ModelDraftingTests.filler(model: base, database: database)).generate(
                        batchID: next)
                    #expect(fake.requests.count > before)
                    for index in before..<fake.requests.count { #expect((fake.messages(index).first ?? "").contains(instructions)) }
                    #expect(
                        try await Seed.count(
                            database,
                            "SELECT COUNT(*) AS n FROM generated_emails WHERE experiment_id IS NULL AND prompt_version = '\(AgentPrompt.version) · Question opener'"
                        )
                            == 2)
                }
            }
        }
    }
}
