import Foundation
import Hummingbird
import GreenlightCore
import GreenlightWork
import GreenlightExport

/// The export page's connection: which sequencer, its API key and the Slack webhook, pasted into
/// write-only fields (never shown back, only "key ending …3f9a, set … by Ana"), the key checked
/// against the sequencer before anything is saved (``SequencerKeyCheck``, as the command does),
/// stored with the secret box and audited; either secret can be removed.
extension ExportController {
    @Sendable func saveConnection(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let client = try await client(context)
        guard let exporter else {
            return Flash.redirect(to: "/clients/\(client.id)/export", notice: "Connecting a sequencer needs GREENLIGHT_SECRET_KEY set on the server.")
        }
        var request = request
        let fields = QueryString.parameters(String(buffer: try await RequestBodyReader.collect(&request, context: context)))
        func field(_ name: String) -> String? {
            fields[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let key = field("api_key")
        let hook = field("slack_webhook")
        do {
            guard let kind = field("sequencer").flatMap(SequencerKind.init(rawValue:)) else {
                throw InputError(field: "sequencer", "choose Instantly, Smartlead or CSV: nothing saved")
            }
            if let hook, !ClientSecrets.isWebhookURL(hook) {
                throw InputError(
                    field: "slack_webhook", "nothing saved: the Slack webhook must be an https:// URL, like https://hooks.slack.com/services/…")
            }
            let stored = try await exporter.secrets.get(clientID: client.id)
            var checked = ""
            if kind.hasAPI {
                guard let usable = key ?? (stored.sequencerKind == kind ? stored.sequencerKey : nil) else {
                    throw InputError(field: "api_key", "paste the \(kind.name) API key: nothing saved")
                }
                if key != nil || stored.sequencerKind != kind {
                    let settings = try await ExportSettings.load(database, clientID: client.id)
                    try await SequencerKeyCheck(factory: exporter.factory).verify(
                        settings, keys: .init(sequencerKind: kind, sequencerKey: usable, slackWebhook: nil))
                    checked = " The key works: \(kind.name) answered."
                }
            }
            try await exporter.secrets.set(
                clientID: client.id, sequencerKind: kind.rawValue, sequencerKey: kind.hasAPI ? key : nil, slackWebhook: hook, by: user.name,
                userID: user.id)
            return Flash.redirect(to: "/clients/\(client.id)/export", notice: "Connection of \(client.name) saved.\(checked)")
        } catch let error as InputError {
            return try await page(client, request: request, context: context, connectionError: error.message, status: .unprocessableContent)
        }
    }

    /// Removes the sequencer key (`what=key`) or the Slack webhook (`what=slack`).
    @Sendable func removeConnection(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let client = try await client(context)
        let page = "/clients/\(client.id)/export"
        guard let exporter else { return Flash.redirect(to: page, notice: "Changing the connection needs GREENLIGHT_SECRET_KEY set on the server.") }
        var request = request
        let fields = QueryString.parameters(String(buffer: try await RequestBodyReader.collect(&request, context: context)))
        switch fields["what"] {
        case "key":
            try await exporter.secrets.remove(clientID: client.id, sequencerKey: true, slackWebhook: false, userID: user.id)
            return Flash.redirect(
                to: page, notice: "The sequencer key of \(client.name) is removed: no export to the sequencer until a new one is connected.")
        case "slack":
            try await exporter.secrets.remove(clientID: client.id, sequencerKey: false, slackWebhook: true, userID: user.id)
            return Flash.redirect(to: page, notice: "The Slack webhook of \(client.name) is removed: runs are no longer announced.")
        default:
            return Flash.redirect(to: page, notice: "Say what to remove: the sequencer key or the Slack webhook. Nothing removed.")
        }
    }
}

/// The connection part of the export page: what is stored (never the secret), and the form.
struct ExportConnectionForm {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    var options: [Option]
    /// "Instantly key ending …3f9a, set 2026-12-07 10:02 UTC by Ana"; nil when none is stored.
    var key: String?
    var slack: String?
    var canConnect: Bool
    /// What is wrong with the connection just posted; nil when nothing was posted or it was saved.
    var error: String?

    init(_ facts: ClientSecrets.Facts, canConnect: Bool, error: String?) {
        let kind = facts.sequencerKind ?? .instantly
        options = SequencerKind.allCases.map {
            Option(value: $0.rawValue, label: $0.hasAPI ? $0.name : "CSV file, uploaded by hand", selected: $0 == kind)
        }
        key = facts.sequencerKey.map { "\((facts.sequencerKind ?? .csv).name) key \($0.sentence)" }
        slack = facts.slackWebhook.map { "Slack webhook \($0.sentence)" }
        self.canConnect = canConnect
        self.error = error
    }
}
