import Foundation
import SQLKit
import GreenlightCore
import GreenlightEmails

/// Drafts one email per pending contact of a batch: fills the template's variables, renders it,
/// scores it, and stores it for review. Running it again drafts only what is still pending.
public struct DraftGenerator: Sendable {
    /// What a generation run did.
    public struct Summary: Sendable, Equatable {
        public var batchID: Int
        public var drafted: Int
        public var failed: Int
        /// Why drafting stopped before the end (a model budget reached): the rest of the batch waits, pending.
        public var stoppedBy: String?
        /// Contacts left pending when drafting stopped.
        public var waiting = 0
        /// Company-level agent answers taken from the cache, and looked up (0 without a model).
        public var cacheHits = 0
        public var cacheLookups = 0

        /// The share of lookups the cache answered, nil when nothing was looked up.
        public var cacheHitRate: Double? { cacheLookups == 0 ? nil : Double(cacheHits) / Double(cacheLookups) }

        /// " Cache: 3 of 6 company answers reused (50%)." — empty without lookups.
        public var cacheLine: String {
            guard let rate = cacheHitRate else { return "" }
            return " Cache: \(cacheHits) of \(cacheLookups) company answers reused (\(Int((rate * 100).rounded()))%)."
        }
    }

    let database: Database
    let clock: TimeSource
    let filler: any VariableFiller
    let scorer = QualityScorer()

    public init(database: Database, filler: any VariableFiller = ContextPackFiller(), clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
        self.filler = filler
    }

    public func generate(batchID: Int) async throws -> Summary {
        guard
            let batch = try await database.read({ sql in
                try await sql.raw("SELECT client_id, template_id, status FROM contact_batches WHERE id = \(bind: batchID)").first()
            })
        else { throw ImportError("batch \(batchID) does not exist") }
        if try batch.decode(column: "status", as: String.self) == BatchStatus.importing.rawValue {
            throw ImportError("batch \(batchID) is still being imported: draft it once the import has finished")
        }
        let (draftClient, template) = try await context(batchID: batchID)
        let clientID = draftClient.id
        let templateID = template.id
        try await setStatus(.generating, batchID: batchID)
        let contacts = try await pendingContacts(batchID: batchID)
        var drafted = 0
        var failed = 0
        var hits = 0
        var lookups = 0
        var stoppedBy: String?
        var handled = 0
        chunks: for chunk in contacts.chunked(into: 100) {
            var drafts: [Draft] = []
            var failures: [(Int, String)] = []
            for contact in chunk {
                do {
                    drafts.append(try await draft(contact, client: draftClient, template: template))
                } catch let stop as BudgetReached {
                    stoppedBy = stop.reason
                    break
                } catch {
                    failures.append((contact.id, String(describing: error)))
                }
            }
            try await store(drafts, failures: failures, clientID: clientID, templateID: templateID, batchID: batchID)
            handled += drafts.count + failures.count
            drafted += drafts.count
            failed += failures.count
            hits += drafts.map(\.cacheHits).reduce(0, +)
            lookups += drafts.map(\.cacheLookups).reduce(0, +)
            if stoppedBy != nil { break chunks }
        }
        if let stoppedBy {
            // Drafted again later (`greenlight generate --batch`) from the contacts still pending.
            try await setStatus(.imported, batchID: batchID)
            return Summary(
                batchID: batchID, drafted: drafted, failed: failed, stoppedBy: stoppedBy, waiting: contacts.count - handled,
                cacheHits: hits, cacheLookups: lookups)
        }
        try await setStatus(.generated, batchID: batchID)
        return Summary(batchID: batchID, drafted: drafted, failed: failed, cacheHits: hits, cacheLookups: lookups)
    }

    /// What drafting a batch needs: its client (with the lessons of now) and its template.
    func context(batchID: Int) async throws -> (client: DraftClient, template: TemplateRecord) {
        guard
            let batch = try await database.read({ sql in
                try await sql.raw("SELECT client_id, template_id FROM contact_batches WHERE id = \(bind: batchID)").first()
            })
        else { throw ImportError("batch \(batchID) does not exist") }
        let clientID = try batch.decode(column: "client_id", as: Int.self)
        let templateID = try batch.decode(column: "template_id", as: Int.self)
        guard let client = try await ClientRepository(database: database).find(id: clientID),
            let template = try await TemplateRepository(database: database).find(id: templateID)
        else {
            throw StorageError("batch \(batchID) points at a missing client or template")
        }
        let (lessons, prompt) = try await database.read { sql in
            (
                try await ClientLessons.load(sql, clientID: clientID, templateID: templateID, now: clock.nowMillis()),
                try await PromptExperiments.setup(sql, clientID: clientID)
            )
        }
        return (
            DraftClient(
                id: clientID, name: client.name, pack: client.pack, lessons: lessons, templateID: templateID, batchID: batchID, prompt: prompt),
            template
        )
    }

    struct Draft: Sendable {
        var contact: ContactProfile
        var subject: String
        var body: String
        var variables: [DraftVariable]
        var score: QualityScore
        var milliseconds: Int
        var note: String?
        var tokens: Int
        var cacheHits: Int
        var cacheLookups: Int
        /// What the grounding check flagged; nil when no variable was the model's to check.
        var grounding: [GroundingFlag]?
        /// The prompt version the agents were told, when they were.
        var prompt: PromptChoice?
    }

    func draft(_ contact: ContactProfile, client: DraftClient, template: TemplateRecord) async throws -> Draft {
        let started = ContinuousClock.now
        let names = template.template.variables
        let fields = contact.fieldValues
        var variables: [DraftVariable] = names.compactMap { name in
            fields[name].map {
                DraftVariable(name: name, value: $0, confidence: 5, fallbackLevel: .companySite, reasoning: "the contact's own \(name) from the CSV")
            }
        }
        let filled = try await filler.fill(names.filter { TemplateVariableCatalog.agentVariables.contains($0) }, for: contact, client: client)
        // Acronyms as the pack writes them ("the CFO", "SaaS teams"), whoever filled the variable.
        variables += filled.variables.map { variable in
            var cased = variable
            cased.value = client.casing.apply(to: variable.value)
            return cased
        }
        let values = Dictionary(variables.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let subject = TemplateText.fill(template.template.subject, with: values)
        let body = SentenceRules.fill(template.template.body, with: values)
        let agentVariables = variables.filter { TemplateVariableCatalog.agentVariables.contains($0.name) }
        let score = scorer.score(
            subject: subject, body: body, variables: agentVariables, minWords: template.template.minWords, maxWords: template.template.maxWords,
            casing: client.casing)
        let checked = agentVariables.contains { $0.fallbackLevel <= .industryInference }
        let grounding = checked ? GroundingCheck(contact: contact, websiteText: filled.websiteText, pack: client.pack).check(agentVariables) : nil
        let elapsed = ContinuousClock.now - started
        return Draft(
            contact: contact, subject: subject, body: body, variables: variables, score: score,
            milliseconds: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000),
            note: filled.note, tokens: filled.tokens, cacheHits: filled.cacheHits, cacheLookups: filled.cacheLookups, grounding: grounding,
            prompt: filled.prompt)
    }

    /// Stores a chunk of drafts in one transaction, each through the client's rollout gate as it stands
    /// now (read per chunk, so a demotion or the kill switch applies to the very next chunk).
    /// - Parameter owner: a worker's lease name: each contact is stored only while that worker still
    ///   holds it (one whose lease ran out and was taken over is left to the new holder).
    /// - Returns: how many drafts were stored.
    @discardableResult
    func store(_ drafts: [Draft], failures: [(Int, String)], clientID: Int, templateID: Int, batchID: Int, owner: String? = nil) async throws -> Int {
        let now = clock.nowMillis()
        let modelName = filler.modelName
        let promptVersion = filler.promptVersion
        let gate = try await RolloutRepository(database: database).state(clientID: clientID).gate
        return try await database.write { sql in
            var stored = 0
            for draft in drafts {
                let contact = draft.contact
                if let owner,
                    try await sql.raw(
                        """
                        UPDATE contacts SET status = 'completed', error = NULL, lease_owner = NULL, lease_expires_at = NULL
                        WHERE id = \(bind: contact.id) AND lease_owner = \(bind: owner) AND status IN ('pending', 'failed') RETURNING id
                        """
                    ).first() == nil
                {
                    continue
                }
                stored += 1
                let name = [contact.firstName, contact.lastName].filter { !$0.isEmpty }.joined(separator: " ")
                let search = [contact.companyName, name, contact.email, draft.subject, draft.body].joined(separator: " ").lowercased()
                let autoBlock = RolloutGate.autoBlock(for: draft.score, grounding: draft.grounding ?? [])
                let note = [filler.note, draft.note].compactMap { $0 }.joined(separator: " ")
                // The sample depends on the email's id: decide with a stand-in, and draw once the id is known.
                let provisional = gate.decide(score: draft.score.score, autoBlock: autoBlock, emailID: 0)
                let mayBeSampled = provisional.outcome == .auto || provisional.outcome == .sampled
                let initial =
                    mayBeSampled
                    ? GateDecision(phase: provisional.phase, threshold: provisional.threshold, verdict: provisional.verdict, outcome: .auto)
                    : provisional
                guard
                    let row = try await sql.raw(
                        """
                        INSERT INTO generated_emails (client_id, contact_id, template_id, batch_id, contact_name, company_name, contact_email,
                        subject, body, variables_json, metrics_json, quality_score, score_version, search_text, status,
                        generation_note, generation_ms, tokens, cache_hits, cache_lookups, model, prompt_version, experiment_id, experiment_arm, created_at,
                        gate_phase, gate_threshold, gate_verdict, gate_outcome, auto_block, grounding_json)
                        VALUES (\(bind: clientID), \(bind: contact.id), \(bind: templateID), \(bind: batchID), \(bind: name), \(bind: contact.companyName),
                        \(bind: contact.email), \(bind: draft.subject), \(bind: draft.body), \(bind: try JSONText.encode(draft.variables)),
                        \(bind: try JSONText.encode(draft.score)), \(bind: draft.score.score), \(bind: draft.score.version), \(bind: search),
                        \(bind: initial.status.rawValue), \(bind: note), \(bind: draft.milliseconds), \(bind: draft.tokens), \(bind: draft.cacheHits), \(bind: draft.cacheLookups), \(bind: modelName), \(bind: draft.prompt.map { $0.version.label(agents: promptVersion) } ?? promptVersion), \(bind: draft.prompt?.experimentID), \(bind: draft.prompt?.arm?.rawValue), \(bind: now),
                        \(bind: initial.phase.rawValue), \(bind: initial.threshold), \(bind: initial.verdict.rawValue), \(bind: initial.outcome.rawValue), \(bind: autoBlock), \(bind: try draft.grounding.map { try JSONText.encode($0) }))
                        RETURNING id
                        """
                    ).first()
                else { throw StorageError("storing a draft returned no id") }
                let emailID = try row.decode(column: "id", as: Int.self)
                if mayBeSampled {
                    let final = gate.decide(score: draft.score.score, autoBlock: autoBlock, emailID: emailID)
                    if final.outcome == .sampled {
                        try await sql.raw("UPDATE generated_emails SET status = 'sampled', gate_outcome = 'sampled' WHERE id = \(bind: emailID)")
                            .run()
                    } else {
                        try await sql.raw(
                            ReviewEventSQL.insert(
                                emailID: emailID, clientID: clientID, by: RolloutGate.actor, action: "auto_approve",
                                reason: "score \(draft.score.score) ≥ \(final.threshold) in \(final.phase.rawValue)", at: now)
                        ).run()
                    }
                }
                if owner == nil {
                    try await sql.raw("UPDATE contacts SET status = 'completed', error = NULL WHERE id = \(bind: contact.id)").run()
                }
            }
            for (contactID, message) in failures {
                // A worker marks a contact failed only while it still holds it; the foreground whatever its lease.
                try await sql.raw(
                    """
                    UPDATE contacts SET status = 'failed', error = \(bind: message), lease_owner = NULL, lease_expires_at = NULL
                    WHERE id = \(bind: contactID) AND (CAST(\(bind: owner) AS TEXT) IS NULL OR lease_owner = \(bind: owner))
                    """
                ).run()
            }
            return stored
        }
    }

    private func pendingContacts(batchID: Int) async throws -> [ContactProfile] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.profileColumns) FROM contacts WHERE batch_id = \(bind: batchID) AND status IN ('pending', 'failed') ORDER BY row_number
                """
            ).all().map(Self.profile)
        }
    }

    /// The columns ``profile(_:)`` reads.
    static let profileColumns = "id, first_name, last_name, email, company_name, website, linkedin_url, industry, extra_json"

    /// A contact row as the fillers see it.
    static func profile(_ row: any SQLRow) throws -> ContactProfile {
        ContactProfile(
            id: try row.decode(column: "id", as: Int.self),
            firstName: try row.decode(column: "first_name", as: String.self),
            lastName: try row.decode(column: "last_name", as: String.self),
            email: try row.decode(column: "email", as: String.self),
            companyName: try row.decode(column: "company_name", as: String.self),
            website: try row.decode(column: "website", as: String.self),
            linkedinURL: try row.decode(column: "linkedin_url", as: String.self),
            industry: try row.decode(column: "industry", as: String.self),
            extra: try JSONText.decode([String: String].self, from: row.decode(column: "extra_json", as: String.self))
        )
    }

    private func setStatus(_ status: BatchStatus, batchID: Int) async throws {
        let generatedAt: Int? = status == .generated ? clock.nowMillis() : nil
        try await database.write { sql in
            try await sql.raw(
                "UPDATE contact_batches SET status = \(bind: status.rawValue), generated_at = COALESCE(\(bind: generatedAt), generated_at) WHERE id = \(bind: batchID)"
            ).run()
        }
    }
}
