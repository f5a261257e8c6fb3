import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import HTTPTypes
import HummingbirdTesting
import Logging
import SQLKit
import Testing
import GreenlightTestSupport

@Suite("Secrets at rest")
struct SecretsTests {
    static let sequencerKey = "inst_live_7f3c9d2e1a4b5c6d"
    static let webhook = "https://hooks.slack.example/services/T000/B000/XXXXsecretXXXX"

    @Test("sequencer keys and webhooks are stored encrypted, and rotate to a new key", arguments: DatabaseDialect.allCases)
    func encryptAndRotate(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 0, generate: false)
            let oldBox = try SecretBox(base64Key: SecretBox.makeKey())
            let secrets = ClientSecrets(database: database, box: oldBox)
            try await secrets.set(clientID: seed.clientID, sequencerKind: "instantly", sequencerKey: Self.sequencerKey, slackWebhook: Self.webhook)
            let values = try await secrets.get(clientID: seed.clientID)
            #expect(values.sequencerKind == .instantly && values.sequencerKey == Self.sequencerKey && values.slackWebhook == Self.webhook)
            let stored = try await database.read { sql in
                try await sql.raw("SELECT sequencer_key_encrypted AS k, slack_webhook_encrypted AS w FROM clients").first()
            }
            let storedKey = try #require(try stored?.decode(column: "k", as: String.self))
            #expect(storedKey.hasPrefix("v1:") && !storedKey.contains("inst_live"))
            #expect(try stored?.decode(column: "w", as: String.self).contains("hooks.slack") == false)

            await #expect(throws: InputError.self) {
                try await secrets.set(clientID: seed.clientID, sequencerKind: "mailchimp", sequencerKey: nil, slackWebhook: nil)
            }
            await #expect(throws: InputError.self) {
                try await secrets.set(clientID: seed.clientID, sequencerKind: nil, sequencerKey: nil, slackWebhook: "http://plain.example")
            }

            let newBox = try SecretBox(base64Key: SecretBox.makeKey())
            #expect(try await secrets.rotate(to: newBox) == 2)
            await #expect(throws: ConfigurationError.self) { _ = try await secrets.get(clientID: seed.clientID) }
            #expect(try await ClientSecrets(database: database, box: newBox).get(clientID: seed.clientID).sequencerKey == Self.sequencerKey)
        }
        #expect(throws: ConfigurationError.self) { try SecretBox(base64Key: "too-short") }
        #expect(throws: ConfigurationError.self) { try SecretBox.fromEnvironment([:]) }
    }

    @Test("a client's Slack webhook alone: nil until set, then the URL; an unknown client is NotFound", arguments: DatabaseDialect.allCases)
    func slackWebhookLookup(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 0, generate: false)
            let secrets = ClientSecrets(database: database, box: try SecretBox(base64Key: SecretBox.makeKey()))
            #expect(try await secrets.slackWebhook(clientID: seed.clientID) == nil)
            try await secrets.set(clientID: seed.clientID, sequencerKind: "csv", sequencerKey: nil, slackWebhook: Self.webhook)
            #expect(try await secrets.slackWebhook(clientID: seed.clientID) == Self.webhook)
            await #expect(throws: NotFound.self) { _ = try await secrets.slackWebhook(clientID: seed.clientID + 1000) }
        }
    }

    @Test("no password, API key, session id, sequencer key or webhook in the logs or the database file")
    func nothingInClear() async throws {
        let logs = CapturedLogs()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("greenlight-grep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("grep.sqlite").path
        let database = try await Database.openMigrated(.sqlite(path: path), paths: TestDatabase.paths, logger: logs.logger())
        let password = "correct horse battery"
        var clear: [String] = [password, Self.sequencerKey, Self.webhook]
        do {
            let seed = try await Seed.make(database, contacts: 3)
            _ = try await Seed.user(database, email: "sam@team.example")
            try await ClientSecrets(database: database, box: try SecretBox(base64Key: SecretBox.makeKey()))
                .set(clientID: seed.clientID, sequencerKind: "smartlead", sequencerKey: Self.sequencerKey, slackWebhook: Self.webhook)
            let key = try await APIKeyRepository(database: database).create(clientID: seed.clientID, name: "grep")
            clear.append(key)
            let app = try await buildApplication(
                configuration: AppConfiguration(paths: TestDatabase.paths, bcryptCost: 4, logLevel: .trace), database: database, logger: logs.logger()
            )
            let sessionID = try await app.test(.router) { client in
                var web = WebClient(client)
                _ = try await web.login("sam@team.example", password: "wrong " + password)
                _ = try await web.login("sam@team.example", password: password)
                _ = try await web.request("/review")
                _ = try await web.request("/api/v1/emails", headers: [.authorization: "Bearer \(key)"])
                _ = try await web.request("/api/v1/emails", headers: [.authorization: "Bearer \(key)x"])
                return try #require(web.cookies["greenlight_session"])
            }
            clear.append(sessionID)
            await database.close()
        } catch {
            await database.close()
            throw error
        }
        var stored = Data()
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            stored += FileManager.default.contents(atPath: folder.appendingPathComponent(file).path) ?? Data()
        }
        let storedText = String(decoding: stored, as: UTF8.self)
        let logText = logs.text
        #expect(logText.count > 0)
        for secret in clear {
            #expect(!logText.contains(secret), "a secret is in the logs")
            #expect(!storedText.contains(secret), "a secret is in the database file")
        }
    }
}
