import Foundation
import SQLKit
import GreenlightCore
import GreenlightEmails

/// A template drafted for one contact without storing anything — the client page's preview: the
/// filled subject and body, the score and its deductions. Variables are filled from the context
/// pack (no model call, so a preview never spends the client's model budget).
public struct TemplatePreview: Sendable {
    /// The contact a preview was drafted for, and the draft.
    public struct Result: Sendable {
        public var contact: ContactProfile
        /// The contact is made up: the client has no contact yet.
        public var sample: Bool
        public var subject: String
        public var body: String
        public var score: QualityScore
        public var variables: [DraftVariable]
    }

    let database: Database
    let clock: TimeSource

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    /// The first contacts of the client's latest batch, to choose from.
    public func contacts(clientID: Int, limit: Int = 20) async throws -> [ContactProfile] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: DraftGenerator.profileColumns) FROM contacts
                WHERE batch_id = (SELECT MAX(id) FROM contact_batches WHERE client_id = \(bind: clientID))
                ORDER BY row_number LIMIT \(literal: max(1, min(limit, 100)))
                """
            ).all().map(DraftGenerator.profile)
        }
    }

    /// Drafts `template` for the chosen contact of the client (one of ``contacts(clientID:limit:)``, or
    /// any of the client's), else the first of the latest batch, else a made-up one.
    public func draft(_ template: EmailTemplate, clientID: Int, contactID: Int?) async throws -> Result {
        guard let client = try await ClientRepository(database: database).find(id: clientID) else { throw NotFound("that client") }
        var contact: ContactProfile?
        if let contactID {
            contact = try await database.read { sql in
                try await sql.raw(
                    """
                    SELECT \(unsafeRaw: DraftGenerator.profileColumns) FROM contacts c
                    WHERE c.id = \(bind: contactID) AND c.batch_id IN (SELECT id FROM contact_batches WHERE client_id = \(bind: clientID))
                    """
                ).first().map(DraftGenerator.profile)
            }
        }
        if contact == nil { contact = try await contacts(clientID: clientID, limit: 1).first }
        let chosen =
            contact
            ?? ContactProfile(
                id: 0, firstName: "Alex", lastName: "Sample", email: "alex.sample@example.com", companyName: "Example Trading",
                website: "", linkedinURL: "", industry: "", extra: ["job_title": client.pack.personas.first?.title ?? ""])
        let lessons = try await database.read { sql in try await ClientLessons.load(sql, clientID: clientID, now: clock.nowMillis()) }
        let generator = DraftGenerator(database: database, filler: ContextPackFiller(), clock: clock)
        let draft = try await generator.draft(
            chosen, client: DraftClient(id: clientID, name: client.name, pack: client.pack, lessons: lessons),
            template: TemplateRecord(id: 0, clientID: clientID, template: template))
        return Result(
            contact: chosen, sample: contact == nil, subject: draft.subject, body: draft.body, score: draft.score, variables: draft.variables)
    }
}
