import Foundation
public import Logging
import GreenlightCore
import GreenlightEmails

/// Tells a client's Slack channel (its stored webhook, if any) that the demotion guard dropped it
/// back a phase, and why. Without a webhook, or without the secret key to read it, nothing is sent;
/// a failed delivery is logged and never undoes the demotion.
public struct DemotionMessage: Sendable {
    let database: Database
    /// The key that decrypts stored webhooks; `nil` reads `GREENLIGHT_SECRET_KEY` when needed.
    let box: SecretBox?
    let notifier: SlackNotifier
    let logger: Logger

    public init(database: Database, box: SecretBox?, notifier: SlackNotifier, logger: Logger) {
        self.database = database
        self.box = box
        self.notifier = notifier
        self.logger = logger
    }

    /// The text posted for a demotion.
    public static func text(_ demotion: DemotionGuard.Demotion) -> String {
        "Greenlight: \(demotion.clientName) dropped back from \(demotion.from.rawValue) to \(demotion.to.rawValue). \(demotion.reason). "
            + "New drafts are gated as \(demotion.to.rawValue) from now on; a manager can restore the phase on the client's rollout page."
    }

    /// Posts the message when the client has a webhook.
    public func send(_ demotion: DemotionGuard.Demotion) async {
        let webhook: String?
        do {
            let box = try self.box ?? SecretBox.fromEnvironment()
            webhook = try await ClientSecrets(database: database, box: box).slackWebhook(clientID: demotion.clientID)
        } catch {
            logger.notice("no Slack message for the demotion of \(demotion.clientName): \(error)")
            return
        }
        guard let webhook else { return }
        if case .failed(let reason) = await notifier.send(SlackMessage(SlackMessage.escaped(Self.text(demotion))), to: webhook) {
            logger.warning("the Slack message for the demotion of \(demotion.clientName) was not delivered: \(reason)")
        }
    }
}
