import Foundation
import SQLKit
import GreenlightCore

/// Stores a client's templates.
public struct TemplateRepository: Sendable {
    let database: Database
    let clock: TimeSource

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    /// Adds the template, or replaces the client's template of the same name. Returns its id.
    @discardableResult
    public func save(_ template: EmailTemplate, clientID: Int) async throws -> Int {
        try TemplateFile.validate(template)
        let followUps = try JSONText.encode(template.followUps)
        let variables = try JSONText.encode(template.variables)
        return try await database.write { sql in
            if let existing = try await sql.raw("SELECT id FROM templates WHERE client_id = \(bind: clientID) AND name = \(bind: template.name)")
                .first()?.decode(column: "id", as: Int.self)
            {
                try await sql.raw(
                    """
                    UPDATE templates SET strategy = \(bind: template.strategy.rawValue), subject = \(bind: template.subject), body = \(bind: template.body),
                    min_words = \(bind: template.minWords), max_words = \(bind: template.maxWords), follow_ups_json = \(bind: followUps),
                    variables_json = \(bind: variables) WHERE id = \(bind: existing)
                    """
                ).run()
                return existing
            }
            return try await Self.insert(sql, template, clientID: clientID, now: clock.nowMillis())
        }
    }

    static func insert(_ sql: any SQLDatabase, _ template: EmailTemplate, clientID: Int, now: Int) async throws -> Int {
        guard
            let row = try await sql.raw(
                """
                INSERT INTO templates (client_id, name, strategy, subject, body, min_words, max_words, follow_ups_json, variables_json, created_at)
                VALUES (\(bind: clientID), \(bind: template.name), \(bind: template.strategy.rawValue), \(bind: template.subject), \(bind: template.body),
                \(bind: template.minWords), \(bind: template.maxWords), \(bind: try JSONText.encode(template.followUps)),
                \(bind: try JSONText.encode(template.variables)), \(bind: now))
                RETURNING id
                """
            ).first()
        else { throw StorageError("inserting template \(template.name) returned no id") }
        return try row.decode(column: "id", as: Int.self)
    }

    public func find(name: String, clientID: Int) async throws -> TemplateRecord? {
        try await load(SQLQueryString("client_id = \(bind: clientID) AND name = \(bind: name)")).first
    }

    public func find(id: Int) async throws -> TemplateRecord? {
        try await load(SQLQueryString("id = \(bind: id)")).first
    }

    public func all(clientID: Int? = nil) async throws -> [TemplateRecord] {
        if let clientID { return try await load(SQLQueryString("client_id = \(bind: clientID)")) }
        return try await load(SQLQueryString("1 = 1"))
    }

    private func load(_ condition: SQLQueryString) async throws -> [TemplateRecord] {
        try await database.read { sql in try await Self.load(sql, condition) }
    }

    static func load(_ sql: any SQLDatabase, _ condition: SQLQueryString) async throws -> [TemplateRecord] {
        try await sql.raw("SELECT * FROM templates WHERE " + condition + " ORDER BY name").all().map { row in
            TemplateRecord(
                id: try row.decode(column: "id", as: Int.self),
                clientID: try row.decode(column: "client_id", as: Int.self),
                template: EmailTemplate(
                    name: try row.decode(column: "name", as: String.self),
                    strategy: EmailTemplate.Strategy(rawValue: try row.decode(column: "strategy", as: String.self)) ?? .coldEmail,
                    subject: try row.decode(column: "subject", as: String.self),
                    body: try row.decode(column: "body", as: String.self),
                    minWords: try row.decode(column: "min_words", as: Int.self),
                    maxWords: try row.decode(column: "max_words", as: Int.self),
                    followUps: try JSONText.decode([EmailTemplate.FollowUp].self, from: row.decode(column: "follow_ups_json", as: String.self))
                ),
                retiredAt: try row.decode(column: "retired_at", as: Int?.self)
            )
        }
    }
}
