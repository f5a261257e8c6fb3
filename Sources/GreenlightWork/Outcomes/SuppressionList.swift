import Foundation
import SQLKit
import GreenlightCore

/// One entry of a client's suppression list: an address, or a whole domain, never exported again.
public struct Suppression: Sendable, Equatable {
    /// Whether the entry is one address or a domain.
    public enum Kind: String, Sendable { case email, domain }

    public var id: Int
    public var kind: Kind
    /// The address (normalized) or the domain (lower-cased, without `@`).
    public var address: String
    public var reason: SuppressionReason
    /// `webhook`, `pull` or `upload` when a sequencer said so, `manager` when a person added it.
    public var source: String
    public var note: String
    public var createdAt: Int
    /// Who added it, when a person did.
    public var createdBy: String?

    /// "unsubscribed on 3 Dec 2026", for a card, an import report or the export page.
    public var sentence: String {
        (kind == .domain ? "the domain \(address) is " : "") + reason.words + " on " + DateText.day(createdAt)
    }
}

/// A client's suppression list: bounced, unsubscribed and wrong-person addresses (written by the
/// outcome recorder as the events arrive, in the same transaction) and the addresses and domains a
/// manager marks do-not-contact. The export's claim (``excludesEmail``) and every import leave them
/// out, whatever path they take.
public struct SuppressionList: Sendable {
    let database: Database
    let clock: TimeSource

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    /// For an email `e`: its address, or its address's domain, is on its client's list.
    public static let matchesEmail = """
        EXISTS (SELECT 1 FROM suppressions s WHERE s.client_id = e.client_id AND ((s.kind = 'email' AND s.address = LOWER(e.contact_email))
        OR (s.kind = 'domain' AND LOWER(e.contact_email) LIKE '%@' || s.address)))
        """

    /// What a manager typed, as an entry: `name@acme.com` is one address, `acme.com` or `@acme.com`
    /// the whole domain; anything else is refused, naming what is wrong.
    public static func entry(_ text: String) throws(InputError) -> (kind: Suppression.Kind, address: String) {
        let typed = EmailAddress.normalize(text)
        guard !typed.isEmpty else { throw InputError(field: "address", "enter an email address or a domain such as acme.com") }
        if typed.hasPrefix("@") || !typed.contains("@") {
            let domain = String(typed.drop { $0 == "@" })
            guard EmailAddress.isValid("x@" + domain) else {
                throw InputError(field: "address", "\"\(typed)\" is neither an email address nor a domain such as acme.com")
            }
            return (.domain, domain)
        }
        guard EmailAddress.isValid(typed) else { throw InputError(field: "address", "\"\(typed)\" is not a valid email address") }
        return (.email, typed)
    }

    /// Adds an entry inside the caller's transaction unless the list has it; returns whether it did.
    @discardableResult
    static func add(
        _ sql: any SQLDatabase, clientID: Int, kind: Suppression.Kind, address: String, reason: SuppressionReason, source: String, note: String = "",
        userID: Int? = nil, at millis: Int
    ) async throws -> Bool {
        try await sql.raw(
            """
            INSERT INTO suppressions (client_id, kind, address, reason, source, note, created_by, created_at)
            VALUES (\(bind: clientID), \(bind: kind.rawValue), \(bind: address), \(bind: reason.rawValue), \(bind: source), \(bind: note), \(bind: userID), \(bind: millis))
            ON CONFLICT (client_id, kind, address) DO NOTHING RETURNING id
            """
        ).first() != nil
    }

    /// A manager marks an address or domain do-not-contact; audited. Throws ``InputError`` for text
    /// that is neither, or an entry the list already has (naming why it is there).
    public func add(clientID: Int, text: String, note: String, userID: Int?) async throws -> Suppression {
        let entry = try Self.entry(text)
        let note = String(note.trimmedWhitespace().prefix(500))
        let now = clock.nowMillis()
        return try await database.write { sql in
            if let existing = try await Self.entries(
                sql, clientID: clientID, condition: "kind = \(bind: entry.kind.rawValue) AND address = \(bind: entry.address)"
            ).first {
                throw InputError(field: "address", "\(existing.address) is already on the list: \(existing.sentence)")
            }
            try await Self.add(
                sql, clientID: clientID, kind: entry.kind, address: entry.address, reason: .doNotContact, source: "manager", note: note,
                userID: userID, at: now)
            try await AuditLog.append(
                sql, userID: userID, action: "suppression added", target: "client \(clientID)",
                details: "\(entry.kind == .domain ? "domain " : "")\(entry.address) do-not-contact" + (note.isEmpty ? "" : ": \(note)"), at: now)
            guard
                let added = try await Self.entries(
                    sql, clientID: clientID, condition: "kind = \(bind: entry.kind.rawValue) AND address = \(bind: entry.address)"
                ).first
            else {
                throw StorageError("the suppression just added was not found")
            }
            return added
        }
    }

    /// Takes an entry off the list (the address may be exported again); audited with why it was there.
    /// Throws ``NotFound`` for an entry the client does not have.
    public func remove(clientID: Int, id: Int, userID: Int?) async throws -> Suppression {
        let now = clock.nowMillis()
        return try await database.write { sql in
            guard let entry = try await Self.entries(sql, clientID: clientID, condition: "s.id = \(bind: id)").first else {
                throw NotFound("no such entry on this client's suppression list")
            }
            try await sql.raw("DELETE FROM suppressions WHERE id = \(bind: id) AND client_id = \(bind: clientID)").run()
            try await AuditLog.append(
                sql, userID: userID, action: "suppression removed", target: "client \(clientID)", details: "\(entry.address): was \(entry.sentence)",
                at: now)
            return entry
        }
    }

    /// The client's list, newest first.
    public func list(clientID: Int, limit: Int = 500) async throws -> [Suppression] {
        try await database.read { sql in
            try await Self.entries(sql, clientID: clientID, condition: "1 = 1", limit: limit)
        }
    }

    /// How many entries the client's list holds.
    public func count(clientID: Int) async throws -> Int {
        try await database.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM suppressions WHERE client_id = \(bind: clientID)").first()?.decode(column: "n", as: Int.self)
                ?? 0
        }
    }

    /// The entry that holds back each of `emails` (normalized) that is on the list, by address.
    public func matches(clientID: Int, emails: [String]) async throws -> [String: Suppression] {
        guard !emails.isEmpty else { return [:] }
        let domains = Array(Set(emails.compactMap { $0.split(separator: "@").last.map(String.init) }))
        let entries = try await database.read { sql in
            try await Self.entries(
                sql, clientID: clientID,
                condition: "((s.kind = 'email' AND s.address IN (\(binds: emails))) OR (s.kind = 'domain' AND s.address IN (\(binds: domains))))",
                limit: emails.count + domains.count)
        }
        var found: [String: Suppression] = [:]
        for email in emails {
            let domain = email.split(separator: "@").last.map(String.init) ?? ""
            if let entry = entries.first(where: { ($0.kind == .email && $0.address == email) || ($0.kind == .domain && $0.address == domain) }) {
                found[email] = entry
            }
        }
        return found
    }

    static func entries(_ sql: any SQLDatabase, clientID: Int, condition: SQLQueryString, limit: Int = 1) async throws -> [Suppression] {
        try await sql.raw(
            """
            SELECT s.id, s.kind, s.address, s.reason, s.source, s.note, s.created_at, u.name AS created_by FROM suppressions s
            LEFT JOIN users u ON u.id = s.created_by WHERE s.client_id = \(bind: clientID) AND
            """ + " " + condition + " ORDER BY s.created_at DESC, s.id DESC LIMIT \(literal: max(1, limit))"
        ).all().map { row in
            Suppression(
                id: try row.decode(column: "id", as: Int.self),
                kind: Suppression.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .email,
                address: try row.decode(column: "address", as: String.self),
                reason: SuppressionReason(rawValue: try row.decode(column: "reason", as: String.self)) ?? .doNotContact,
                source: try row.decode(column: "source", as: String.self), note: try row.decode(column: "note", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Int.self), createdBy: try row.decode(column: "created_by", as: String?.self))
        }
    }
}
