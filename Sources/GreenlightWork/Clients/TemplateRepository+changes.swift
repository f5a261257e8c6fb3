import Foundation
import SQLKit
import GreenlightCore

extension TemplateRepository {
    /// Adds a template from the browser: its name must be new for the client. Audited. Returns its id.
    public func create(_ template: EmailTemplate, clientID: Int, by userID: Int?) async throws -> Int {
        try TemplateFile.validate(template)
        let now = clock.nowMillis()
        return try await database.write { sql in
            if try await sql.raw("SELECT id FROM templates WHERE client_id = \(bind: clientID) AND name = \(bind: template.name)").first() != nil {
                throw InputError(field: "text", "this client has a template named \(template.name) already: edit that one, or choose another name")
            }
            let id = try await Self.insert(sql, template, clientID: clientID, now: now)
            try await AuditLog.append(
                sql, userID: userID, action: "template created", target: try await Self.clientName(sql, clientID),
                details: "\(template.name): \(template.variables.count) variables, \(template.followUps.count) follow-ups", at: now)
            return id
        }
    }

    /// Replaces a template's text (drafts already made keep theirs). Audited with what changed.
    @discardableResult
    public func update(id: Int, clientID: Int, with template: EmailTemplate, by userID: Int?) async throws -> [String] {
        try TemplateFile.validate(template)
        let now = clock.nowMillis()
        return try await database.write { sql in
            guard let before = try await Self.load(sql, SQLQueryString("id = \(bind: id) AND client_id = \(bind: clientID)")).first else {
                throw NotFound("that template")
            }
            if template.name != before.template.name,
                try await sql.raw(
                    "SELECT id FROM templates WHERE client_id = \(bind: clientID) AND name = \(bind: template.name) AND id <> \(bind: id)"
                ).first() != nil
            {
                throw InputError(field: "text", "this client has a template named \(template.name) already")
            }
            let old = before.template
            var changes: [String] = []
            if old.name != template.name { changes.append("name \(old.name) → \(template.name)") }
            if old.strategy != template.strategy { changes.append("strategy \(old.strategy.rawValue) → \(template.strategy.rawValue)") }
            if old.subject != template.subject { changes.append("subject") }
            if old.body != template.body { changes.append("body") }
            if old.minWords != template.minWords || old.maxWords != template.maxWords {
                changes.append("words \(old.minWords)–\(old.maxWords) → \(template.minWords)–\(template.maxWords)")
            }
            if old.followUps != template.followUps { changes.append("follow-ups") }
            guard !changes.isEmpty else { return [] }
            try await sql.raw(
                """
                UPDATE templates SET name = \(bind: template.name), strategy = \(bind: template.strategy.rawValue), subject = \(bind: template.subject),
                body = \(bind: template.body), min_words = \(bind: template.minWords), max_words = \(bind: template.maxWords),
                follow_ups_json = \(bind: try JSONText.encode(template.followUps)), variables_json = \(bind: try JSONText.encode(template.variables))
                WHERE id = \(bind: id)
                """
            ).run()
            try await AuditLog.append(
                sql, userID: userID, action: "template changed", target: try await Self.clientName(sql, clientID),
                details: "\(template.name): " + changes.joined(separator: "; "), at: now)
            return changes
        }
    }

    /// Retires a template (no new drafts; the drafts it made keep their link) or puts it back in use.
    /// Doing what is already done changes nothing.
    public func setRetired(_ retired: Bool, id: Int, clientID: Int, by userID: Int?) async throws -> TemplateRecord {
        let now = clock.nowMillis()
        return try await database.write { sql in
            guard var record = try await Self.load(sql, SQLQueryString("id = \(bind: id) AND client_id = \(bind: clientID)")).first else {
                throw NotFound("that template")
            }
            guard (record.retiredAt != nil) != retired else { return record }
            record.retiredAt = retired ? now : nil
            try await sql.raw("UPDATE templates SET retired_at = \(bind: record.retiredAt) WHERE id = \(bind: id)").run()
            try await AuditLog.append(
                sql, userID: userID, action: retired ? "template retired" : "template restored", target: try await Self.clientName(sql, clientID),
                details: record.template.name, at: now)
            return record
        }
    }

    static func clientName(_ sql: any SQLDatabase, _ clientID: Int) async throws -> String {
        try await sql.raw("SELECT name FROM clients WHERE id = \(bind: clientID)").first()?.decode(column: "name", as: String.self)
            ?? "client \(clientID)"
    }
}
