import Foundation
import SQLKit
import GreenlightCore

extension ClientRepository {
    /// Creates a client from the client form: its name must be new. A manager who creates it works on
    /// it from then on (an admin sees every client). Audited in the same transaction. Returns its id.
    public func create(profile: ClientProfile, pack: ContextPack, by user: User) async throws -> Int {
        try ClientPackCheck.check(profile, pack)
        let now = clock.nowMillis()
        return try await database.write { sql in
            if try await sql.raw("SELECT id FROM clients WHERE name = \(bind: profile.name)").first() != nil {
                throw InputError(field: "name", "a client named \(profile.name) exists already")
            }
            let id = try await Self.insert(sql, profile: profile, pack: pack, now: now)
            if user.role != .admin {
                try await sql.raw("INSERT INTO user_clients (user_id, client_id) VALUES (\(bind: user.id), \(bind: id))").run()
            }
            try await AuditLog.append(
                sql, userID: user.id, action: "client created", target: profile.name,
                details:
                    "time zone \(profile.timezone); \(pack.personas.count) personas, \(pack.painPoints.count) pain points, \(pack.competitors.count) competitors, \(pack.caseStudies.count) case studies",
                at: now)
            return id
        }
    }

    /// Changes a client's settings and pack from the client form (its phase, templates, emails and
    /// keys stay). The audit entry names what changed. Returns the names of the parts that changed.
    @discardableResult
    public func update(id: Int, profile: ClientProfile, pack: ContextPack, by userID: Int?) async throws -> [String] {
        try ClientPackCheck.check(profile, pack)
        let now = clock.nowMillis()
        return try await database.write { sql in
            guard let before = try await Self.loadOne(sql, id: id) else { throw NotFound("that client") }
            if profile.name != before.name,
                try await sql.raw("SELECT id FROM clients WHERE name = \(bind: profile.name) AND id <> \(bind: id)").first() != nil
            {
                throw InputError(field: "name", "a client named \(profile.name) exists already")
            }
            let changes = Self.changes(from: before, to: profile, pack)
            guard !changes.isEmpty else { return [] }
            try await Self.write(sql, id: id, profile: profile, pack: pack, now: now)
            try await AuditLog.append(
                sql, userID: userID, action: "client changed", target: profile.name, details: "changed: " + changes.joined(separator: "; "), at: now)
            return changes
        }
    }

    /// What differs, in words: settings with before → after, pack parts by name.
    static func changes(from before: ClientRecord, to profile: ClientProfile, _ pack: ContextPack) -> [String] {
        var changes: [String] = []
        func setting(_ name: String, _ old: String, _ new: String) {
            if old != new { changes.append("\(name) \(old.isEmpty ? "(none)" : old) → \(new.isEmpty ? "(none)" : new)") }
        }
        setting("name", before.name, profile.name)
        setting("website", before.website, profile.website)
        setting("sender", before.senderName, profile.sender.name)
        setting("sender's title", before.senderTitle, profile.sender.title)
        setting("sender's email", before.senderEmail, profile.sender.email)
        setting("time zone", before.timezone, profile.timezone)
        setting("export hour", String(before.exportHour), String(profile.exportHour))
        if before.pack.pci != pack.pci { changes.append("ideal customer profile") }
        if before.pack.personasMarkdown != pack.personasMarkdown { changes.append("personas") }
        if before.pack.painPointsMarkdown != pack.painPointsMarkdown { changes.append("pain points") }
        if before.pack.competitors != pack.competitors { changes.append("competitors") }
        if before.pack.caseStudies != pack.caseStudies { changes.append("case studies") }
        return changes
    }
}
