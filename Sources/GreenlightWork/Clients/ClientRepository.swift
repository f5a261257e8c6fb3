import Foundation
import SQLKit
import GreenlightCore
import GreenlightEmails

/// Stores clients and their context packs.
public struct ClientRepository: Sendable {
    let database: Database
    let clock: TimeSource

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    /// Adds the client, or replaces the settings and pack of the client with the same name (`greenlight
    /// client add`). Returns its id.
    @discardableResult
    public func save(profile: ClientProfile, pack: ContextPack) async throws -> Int {
        try ClientPackCheck.check(profile, pack)
        let now = clock.nowMillis()
        return try await database.write { sql in
            let found = try await sql.raw("SELECT id FROM clients WHERE name = \(bind: profile.name)").first()
            if let existing = try found?.decode(column: "id", as: Int.self) {
                try await Self.write(sql, id: existing, profile: profile, pack: pack, now: now)
                return existing
            }
            return try await Self.insert(sql, profile: profile, pack: pack, now: now)
        }
    }

    /// Writes a stored client's settings and pack (its phase stays), its case studies replaced and
    /// its daily figures recounted when the time zone changes.
    static func write(_ sql: any SQLDatabase, id: Int, profile: ClientProfile, pack: ContextPack, now: Int) async throws {
        try await sql.raw(
            """
            UPDATE clients SET name = \(bind: profile.name), website = \(bind: profile.website), sender_name = \(bind: profile.sender.name),
            sender_title = \(bind: profile.sender.title), sender_email = \(bind: profile.sender.email),
            export_hour = \(bind: profile.exportHour),
            pci = \(bind: pack.pci), personas = \(bind: pack.personasMarkdown), pain_points = \(bind: pack.painPointsMarkdown),
            competitors_json = \(bind: try JSONText.encode(pack.competitors)), updated_at = \(bind: now) WHERE id = \(bind: id)
            """
        ).run()
        try await sql.raw("DELETE FROM case_studies WHERE client_id = \(bind: id)").run()
        try await DailyRollup.setTimeZone(sql, clientID: id, to: profile.timezone)
        try await insertCaseStudies(sql, id: id, pack.caseStudies)
    }

    /// Inserts a new client with its pack; returns its id.
    static func insert(_ sql: any SQLDatabase, profile: ClientProfile, pack: ContextPack, now: Int) async throws -> Int {
        guard
            let row = try await sql.raw(
                """
                INSERT INTO clients (name, website, sender_name, sender_title, sender_email, timezone, export_hour, phase,
                pci, personas, pain_points, competitors_json, created_at, updated_at)
                VALUES (\(bind: profile.name), \(bind: profile.website), \(bind: profile.sender.name), \(bind: profile.sender.title),
                \(bind: profile.sender.email), \(bind: profile.timezone), \(bind: profile.exportHour), \(bind: profile.phase.rawValue),
                \(bind: pack.pci), \(bind: pack.personasMarkdown), \(bind: pack.painPointsMarkdown), \(bind: try JSONText.encode(pack.competitors)),
                \(bind: now), \(bind: now))
                RETURNING id
                """
            ).first()
        else { throw StorageError("inserting client \(profile.name) returned no id") }
        let id = try row.decode(column: "id", as: Int.self)
        try await insertCaseStudies(sql, id: id, pack.caseStudies)
        return id
    }

    private static func insertCaseStudies(_ sql: any SQLDatabase, id: Int, _ studies: [ContextPack.CaseStudy]) async throws {
        for study in studies {
            try await sql.raw(
                """
                INSERT INTO case_studies (client_id, file_name, title, body) VALUES (\(bind: id), \(bind: study.fileName), \(bind: study.title), \(bind: study.body))
                """
            ).run()
        }
    }

    public func find(name: String) async throws -> ClientRecord? {
        try await load(where: SQLQueryString("name = \(bind: name)")).first
    }

    public func find(id: Int) async throws -> ClientRecord? {
        try await load(where: SQLQueryString("id = \(bind: id)")).first
    }

    /// Every client not archived, by name. `ids` limits the list to those clients when given.
    public func all(ids: [Int]? = nil) async throws -> [ClientRecord] {
        try await load(where: SQLQueryString("archived_at IS NULL")).filter { ids?.contains($0.id) ?? true }
    }

    /// The archived clients, by name.
    public func archived() async throws -> [ClientRecord] {
        try await load(where: SQLQueryString("archived_at IS NOT NULL"))
    }

    /// Ids and names of the clients not archived, by name — for menus, without loading the context packs.
    public func names(ids: [Int]? = nil) async throws -> [(id: Int, name: String)] {
        let all = try await database.read { sql in
            try await sql.raw("SELECT id, name FROM clients WHERE archived_at IS NULL ORDER BY name").all().map {
                (id: try $0.decode(column: "id", as: Int.self), name: try $0.decode(column: "name", as: String.self))
            }
        }
        return all.filter { ids?.contains($0.id) ?? true }
    }

    private func load(where condition: SQLQueryString?) async throws -> [ClientRecord] {
        try await database.read { sql in try await Self.load(sql, where: condition) }
    }

    /// One client, read inside the caller's transaction.
    static func loadOne(_ sql: any SQLDatabase, id: Int) async throws -> ClientRecord? {
        try await load(sql, where: SQLQueryString("id = \(bind: id)")).first
    }

    static func load(_ sql: any SQLDatabase, where condition: SQLQueryString?) async throws -> [ClientRecord] {
        var query = SQLQueryString("SELECT * FROM clients")
        if let condition { query = query + " WHERE " + condition }
        query = query + " ORDER BY name"
        let rows = try await sql.raw(query).all()
        var clients: [ClientRecord] = []
        for row in rows {
            let id = try row.decode(column: "id", as: Int.self)
            let studies = try await sql.raw("SELECT file_name, title, body FROM case_studies WHERE client_id = \(bind: id) ORDER BY file_name")
                .all().map {
                    ContextPack.CaseStudy(
                        fileName: try $0.decode(column: "file_name", as: String.self), title: try $0.decode(column: "title", as: String.self),
                        body: try $0.decode(column: "body", as: String.self))
                }
            let pack = ContextPack(
                pci: try row.decode(column: "pci", as: String.self),
                personasMarkdown: try row.decode(column: "personas", as: String.self),
                painPointsMarkdown: try row.decode(column: "pain_points", as: String.self),
                competitors: try JSONText.decode([ContextPack.Competitor].self, from: row.decode(column: "competitors_json", as: String.self)),
                caseStudies: studies
            )
            clients.append(
                ClientRecord(
                    id: id,
                    name: try row.decode(column: "name", as: String.self),
                    website: try row.decode(column: "website", as: String.self),
                    senderName: try row.decode(column: "sender_name", as: String.self),
                    senderTitle: try row.decode(column: "sender_title", as: String.self),
                    senderEmail: try row.decode(column: "sender_email", as: String.self),
                    timezone: try row.decode(column: "timezone", as: String.self),
                    exportHour: try row.decode(column: "export_hour", as: Int.self),
                    phase: RolloutPhase(rawValue: try row.decode(column: "phase", as: String.self)) ?? .shadow,
                    pack: pack,
                    archivedAt: try row.decode(column: "archived_at", as: Int?.self)
                ))
        }
        return clients
    }
}
