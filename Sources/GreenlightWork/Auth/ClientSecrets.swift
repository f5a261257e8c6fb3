import Foundation
import SQLKit
import GreenlightCore

/// A client's sequencer key and Slack webhook, kept encrypted in the database and decrypted only when used.
public struct ClientSecrets: Sendable {
    /// The decrypted secrets of one client.
    public struct Values: Sendable, Equatable {
        public var sequencerKind: SequencerKind?
        public var sequencerKey: String?
        public var slackWebhook: String?

        public init(sequencerKind: SequencerKind? = nil, sequencerKey: String? = nil, slackWebhook: String? = nil) {
            self.sequencerKind = sequencerKind
            self.sequencerKey = sequencerKey
            self.slackWebhook = slackWebhook
        }
    }

    let database: Database
    let clock: TimeSource
    let box: SecretBox

    public init(database: Database, box: SecretBox, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
        self.box = box
    }

    /// What may be shown of a client's secrets: the sequencer, and for each secret its last four
    /// characters, when and by whom it was set — never the secret.
    public struct Facts: Sendable, Equatable {
        /// One stored secret as shown: "ending …3f9a, set 2026-12-07 10:02 UTC by Ana".
        public struct Stored: Sendable, Equatable {
            public var hint: String?
            public var setAt: Int?
            public var setBy: String?

            public var sentence: String {
                var text = hint.map { "ending …\($0)" } ?? "stored"
                if let setAt { text += ", set \(DateText.format(setAt))" }
                if let setBy { text += " by \(setBy)" }
                return text
            }
        }

        public var sequencerKind: SequencerKind?
        public var sequencerKey: Stored?
        public var slackWebhook: Stored?
    }

    /// Sets what is given (`nil` leaves a value as it is), with what the page shows of it, and
    /// audits it in the same transaction.
    /// - Parameters:
    ///   - by: who sets it, shown beside it ("Ana", "the command line").
    ///   - userID: the user, for the audit log (nil: the command line).
    public func set(
        clientID: Int, sequencerKind: String?, sequencerKey: String?, slackWebhook: String?, by: String = "the command line", userID: Int? = nil
    ) async throws {
        let sequencerKind = try sequencerKind.map { text throws(InputError) in try SequencerKind.parse(text) }
        if let slackWebhook, !Self.isWebhookURL(slackWebhook) {
            throw InputError(
                field: "slack_webhook", "the Slack webhook must be an https:// URL (http:// only on this machine: localhost or 127.0.0.1)")
        }
        let key = try sequencerKey.map(box.seal)
        let hook = try slackWebhook.map(box.seal)
        let now = clock.nowMillis()
        let details = [
            sequencerKind.map { "sequencer \($0.rawValue)" }, sequencerKey.map { "sequencer key ending …\(Self.hint($0))" },
            slackWebhook.map { "Slack webhook ending …\(Self.hint($0))" },
        ].compactMap { $0 }.joined(separator: ", ")
        try await database.write { sql in
            guard
                let name = try await sql.raw(
                    """
                    UPDATE clients SET sequencer_kind = COALESCE(\(bind: sequencerKind?.rawValue), sequencer_kind),
                    sequencer_key_encrypted = COALESCE(\(bind: key), sequencer_key_encrypted),
                    sequencer_key_hint = COALESCE(\(bind: sequencerKey.map(Self.hint)), sequencer_key_hint),
                    sequencer_key_set_at = COALESCE(\(bind: key == nil ? nil : now), sequencer_key_set_at),
                    sequencer_key_set_by = COALESCE(\(bind: key == nil ? nil : by), sequencer_key_set_by),
                    slack_webhook_encrypted = COALESCE(\(bind: hook), slack_webhook_encrypted),
                    slack_webhook_hint = COALESCE(\(bind: slackWebhook.map(Self.hint)), slack_webhook_hint),
                    slack_webhook_set_at = COALESCE(\(bind: hook == nil ? nil : now), slack_webhook_set_at),
                    slack_webhook_set_by = COALESCE(\(bind: hook == nil ? nil : by), slack_webhook_set_by), updated_at = \(bind: now)
                    WHERE id = \(bind: clientID) RETURNING name
                    """
                ).first()?.decode(column: "name", as: String.self)
            else { throw NotFound("client \(clientID)") }
            if !details.isEmpty { try await AuditLog.append(sql, userID: userID, action: "secrets set", target: name, details: details, at: now) }
        }
    }

    /// Removes the sequencer key and/or the Slack webhook (and what was shown of them), audited.
    public func remove(clientID: Int, sequencerKey: Bool, slackWebhook: Bool, userID: Int? = nil) async throws {
        guard sequencerKey || slackWebhook else { return }
        let now = clock.nowMillis()
        try await database.write { sql in
            var changes: [String] = []
            if sequencerKey {
                changes.append("sequencer_key_encrypted = NULL, sequencer_key_hint = NULL, sequencer_key_set_at = NULL, sequencer_key_set_by = NULL")
            }
            if slackWebhook {
                changes.append("slack_webhook_encrypted = NULL, slack_webhook_hint = NULL, slack_webhook_set_at = NULL, slack_webhook_set_by = NULL")
            }
            guard
                let name = try await sql.raw(
                    """
                    UPDATE clients SET \(unsafeRaw: changes.joined(separator: ", ")), updated_at = \(bind: now) WHERE id = \(bind: clientID) RETURNING name
                    """
                ).first()?.decode(column: "name", as: String.self)
            else { throw NotFound("client \(clientID)") }
            let what = [sequencerKey ? "sequencer key" : nil, slackWebhook ? "Slack webhook" : nil].compactMap { $0 }.joined(separator: ", ")
            try await AuditLog.append(sql, userID: userID, action: "secrets removed", target: name, details: what, at: now)
        }
    }

    /// What the export page shows of the client's secrets (nothing is decrypted: no key needed).
    public static func facts(_ database: Database, clientID: Int) async throws -> Facts {
        guard
            let row = try await database.read({ sql in
                try await sql.raw(
                    """
                    SELECT sequencer_kind, CASE WHEN sequencer_key_encrypted IS NULL THEN 0 ELSE 1 END AS has_key, sequencer_key_hint, sequencer_key_set_at, sequencer_key_set_by,
                    CASE WHEN slack_webhook_encrypted IS NULL THEN 0 ELSE 1 END AS has_hook, slack_webhook_hint, slack_webhook_set_at, slack_webhook_set_by FROM clients WHERE id = \(bind: clientID)
                    """
                ).first()
            })
        else { throw NotFound("client \(clientID)") }
        func stored(_ prefix: String, _ flag: String) throws -> Facts.Stored? {
            guard try row.decode(column: flag, as: Int.self) == 1 else { return nil }
            return Facts.Stored(
                hint: try row.decode(column: prefix + "_hint", as: String?.self), setAt: try row.decode(column: prefix + "_set_at", as: Int?.self),
                setBy: try row.decode(column: prefix + "_set_by", as: String?.self))
        }
        return Facts(
            sequencerKind: try row.decode(column: "sequencer_kind", as: String?.self).flatMap(SequencerKind.init(rawValue:)),
            sequencerKey: try stored("sequencer_key", "has_key"), slackWebhook: try stored("slack_webhook", "has_hook"))
    }

    /// The last four characters of a secret: enough to tell keys apart, too little to use.
    static func hint(_ secret: String) -> String {
        String(secret.trimmingCharacters(in: .whitespacesAndNewlines).suffix(4))
    }

    public func get(clientID: Int) async throws -> Values {
        guard
            let row = try await database.read({ sql in
                try await sql.raw("SELECT sequencer_kind, sequencer_key_encrypted, slack_webhook_encrypted FROM clients WHERE id = \(bind: clientID)")
                    .first()
            })
        else { throw NotFound("client \(clientID)") }
        return Values(
            sequencerKind: try row.decode(column: "sequencer_kind", as: String?.self).flatMap(SequencerKind.init(rawValue:)),
            sequencerKey: try row.decode(column: "sequencer_key_encrypted", as: String?.self).map(box.open),
            slackWebhook: try row.decode(column: "slack_webhook_encrypted", as: String?.self).map(box.open)
        )
    }

    /// The client's decrypted Slack webhook URL, or `nil` when none is stored: what a notifier needs,
    /// without decrypting the sequencer key too. Throws `NotFound` for an unknown client and
    /// `ConfigurationError` when the stored value does not open with this box's key.
    public func slackWebhook(clientID: Int) async throws -> String? {
        guard
            let row = try await database.read({ sql in
                try await sql.raw("SELECT slack_webhook_encrypted FROM clients WHERE id = \(bind: clientID)").first()
            })
        else { throw NotFound("client \(clientID)") }
        return try row.decode(column: "slack_webhook_encrypted", as: String?.self).map(box.open)
    }

    /// Re-encrypts every stored secret from this box's key to `newBox`'s, in one transaction:
    /// either every secret moves to the new key or none does. Returns how many were re-encrypted.
    public func rotate(to newBox: SecretBox) async throws -> Int {
        let box = self.box
        return try await database.write { sql in
            var count = 0
            for row in try await sql.raw("SELECT id, sequencer_key_encrypted, slack_webhook_encrypted FROM clients").all() {
                let id = try row.decode(column: "id", as: Int.self)
                let key = try row.decode(column: "sequencer_key_encrypted", as: String?.self).map { try newBox.seal(try box.open($0)) }
                let hook = try row.decode(column: "slack_webhook_encrypted", as: String?.self).map { try newBox.seal(try box.open($0)) }
                count += (key == nil ? 0 : 1) + (hook == nil ? 0 : 1)
                try await sql.raw(
                    "UPDATE clients SET sequencer_key_encrypted = \(bind: key), slack_webhook_encrypted = \(bind: hook) WHERE id = \(bind: id)"
                ).run()
            }
            return count
        }
    }

    /// An https URL, or plain http to this machine (a local relay, or the tests' fake Slack).
    package static func isWebhookURL(_ text: String) -> Bool {
        guard let url = URLComponents(string: text), let host = url.host, !host.isEmpty else { return false }
        switch url.scheme?.lowercased() {
        case "https": return true
        case "http": return host == "localhost" || host == "127.0.0.1" || host == "[::1]" || host == "::1"
        default: return false
        }
    }
}
