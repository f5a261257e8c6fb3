import Foundation
import SQLKit

/// A client's sequencer key and Slack webhook, kept encrypted in the database and decrypted only when used.
public struct ClientSecrets: Sendable {
    /// The decrypted secrets of one client.
    public struct Values: Sendable, Equatable {
        public var sequencerKind: String?
        public var sequencerKey: String?
        public var slackWebhook: String?
    }

    public static let sequencerKinds = ["instantly", "smartlead", "csv"]

    let database: Database
    let box: SecretBox

    public init(database: Database, box: SecretBox) {
        self.database = database
        self.box = box
    }

    /// Sets what is given; `nil` leaves a value as it is.
    public func set(clientID: Int, sequencerKind: String?, sequencerKey: String?, slackWebhook: String?) async throws {
        if let sequencerKind, !Self.sequencerKinds.contains(sequencerKind) {
            throw InputError(field: "sequencer", "sequencer \"\(sequencerKind)\" is not one of \(Self.sequencerKinds.joined(separator: ", "))")
        }
        if let slackWebhook, !Self.isWebhookURL(slackWebhook) {
            throw InputError(field: "slack_webhook", "the Slack webhook must be an https:// URL (http:// only on this machine: localhost or 127.0.0.1)")
        }
        let key = try sequencerKey.map(box.seal)
        let hook = try slackWebhook.map(box.seal)
        try await database.write { sql in
            try await sql.raw("""
                UPDATE clients SET sequencer_kind = COALESCE(\(bind: sequencerKind), sequencer_kind),
                sequencer_key_encrypted = COALESCE(\(bind: key), sequencer_key_encrypted),
                slack_webhook_encrypted = COALESCE(\(bind: hook), slack_webhook_encrypted), updated_at = \(bind: Clock.nowMillis())
                WHERE id = \(bind: clientID)
                """).run()
        }
    }

    public func get(clientID: Int) async throws -> Values {
        guard let row = try await database.read({ sql in
            try await sql.raw("SELECT sequencer_kind, sequencer_key_encrypted, slack_webhook_encrypted FROM clients WHERE id = \(bind: clientID)").first()
        }) else { throw NotFound("client \(clientID)") }
        return Values(
            sequencerKind: try row.decode(column: "sequencer_kind", as: String?.self),
            sequencerKey: try row.decode(column: "sequencer_key_encrypted", as: String?.self).map(box.open),
            slackWebhook: try row.decode(column: "slack_webhook_encrypted", as: String?.self).map(box.open)
        )
    }

    /// The client's decrypted Slack webhook URL, or `nil` when none is stored: what a notifier needs,
    /// without decrypting the sequencer key too. Throws `NotFound` for an unknown client and
    /// `ConfigurationError` when the stored value does not open with this box's key.
    public func slackWebhook(clientID: Int) async throws -> String? {
        guard let row = try await database.read({ sql in
            try await sql.raw("SELECT slack_webhook_encrypted FROM clients WHERE id = \(bind: clientID)").first()
        }) else { throw NotFound("client \(clientID)") }
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
                try await sql.raw("UPDATE clients SET sequencer_key_encrypted = \(bind: key), slack_webhook_encrypted = \(bind: hook) WHERE id = \(bind: id)").run()
            }
            return count
        }
    }

    /// An https URL, or plain http to this machine (a local relay, or the tests' fake Slack).
    static func isWebhookURL(_ text: String) -> Bool {
        guard let url = URLComponents(string: text), let host = url.host, !host.isEmpty else { return false }
        switch url.scheme?.lowercased() {
        case "https": return true
        case "http": return host == "localhost" || host == "127.0.0.1" || host == "[::1]" || host == "::1"
        default: return false
        }
    }
}
