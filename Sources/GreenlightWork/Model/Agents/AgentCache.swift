import Foundation
import SQLKit
import GreenlightCore
import GreenlightEmails

/// Answers of the agents that hold for a whole company — competitor, pain point, case study — kept
/// in the database per (company, template, prompt version and the lessons the agents read — see
/// ``AgentPrompt/cacheVersion(_:)``) for `ttl`: a second contact at the same company, in this batch or
/// a later one, on any instance, costs no model call for them, until a reviewer's new lesson asks the
/// agents again. Only answers the model gave are kept, never fallbacks.
public struct AgentCache: Sendable {
    /// The agents whose answers do not depend on the contact, only on the company.
    public static let companyLevel: Set<AgentKind> = [.competitor, .painPoint, .caseStudy]

    let database: Database
    let ttl: Duration
    let clock: TimeSource
    /// Answers being asked for now, shared by every copy of this cache.
    let inFlight = InFlightAnswers()

    public init(database: Database, ttl: Duration = .seconds(24 * 3600), clock: TimeSource = .system) {
        self.database = database
        self.ttl = ttl
        self.clock = clock
    }

    /// - Parameter version: ``AgentPrompt/cacheVersion(_:)`` of the lessons in the prompt.
    func get(_ agent: AgentKind, company: String, templateID: Int, version: String) async throws -> [DraftVariable]? {
        let oldest = clock.nowMillis() - Int(ttl.components.seconds) * 1000
        guard
            let row = try await database.read({ sql in
                try await sql.raw(
                    """
                    SELECT variables_json FROM agent_cache WHERE company_key = \(bind: company) AND template_id = \(bind: templateID)
                    AND prompt_version = \(bind: version) AND agent = \(bind: agent.rawValue) AND created_at >= \(bind: oldest)
                    """
                ).first()
            })
        else { return nil }
        return try JSONText.decode([DraftVariable].self, from: try row.decode(column: "variables_json", as: String.self))
    }

    func put(_ agent: AgentKind, company: String, templateID: Int, version: String, variables: [DraftVariable]) async throws {
        let json = try JSONText.encode(variables)
        let now = clock.nowMillis()
        try await database.write { sql in
            try await sql.raw(
                """
                INSERT INTO agent_cache (company_key, template_id, prompt_version, agent, variables_json, created_at)
                VALUES (\(bind: company), \(bind: templateID), \(bind: version), \(bind: agent.rawValue), \(bind: json), \(bind: now))
                ON CONFLICT (company_key, template_id, prompt_version, agent) DO UPDATE SET variables_json = excluded.variables_json, created_at = excluded.created_at
                """
            ).run()
        }
    }
}
