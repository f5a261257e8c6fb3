import Foundation
import Logging
import GreenlightCore
import GreenlightWork

/// What Slack hears of an export run: one message when a run did something, the first time a run
/// fails, and when a failed run recovers.
extension Exporter {
    /// The Slack text for a run that ended: what was sent, what failed and why, into which campaigns;
    /// for a failed run left unfinished, that it is retried; for a recovery, after how many failures.
    static func message(_ outcome: Outcome, clientName: String, campaigns: [(name: String, id: String?)], retried: Bool = false) -> String {
        var text = "Greenlight export of \(clientName): \(outcome.status) — \(outcome.sent) sent, \(outcome.failed) failed of \(outcome.claimed)."
        if let failures = outcome.recoveredAfter {
            text += " Recovered: the unfinished run is done after \(failures) failed \(failures == 1 ? "try" : "tries")."
        }
        if !campaigns.isEmpty {
            text += " Campaign: " + campaigns.map { "\($0.name)\($0.id.map { " (\($0))" } ?? "")" }.joined(separator: "; ") + "."
        }
        if let error = outcome.error { text += " \(error)" }
        if retried {
            text += " The schedule tries again after 1, 5, 15 and 60 minutes, then at each export hour; this channel hears again when it recovers."
        }
        return text
    }

    /// Whether a run's end is worth a Slack message: one that did something or recovered, and a
    /// failure only the first time (retries that fail again stay quiet until it recovers).
    static func announces(_ outcome: Outcome) -> Bool {
        guard outcome.runID != nil else { return false }
        switch outcome.status {
        case "finished": return outcome.claimed > 0 || outcome.recoveredAfter != nil
        case "failed": return outcome.failures <= 1
        default: return true
        }
    }

    /// Posts the run's result to the client's Slack webhook when it has one and ``announces(_:)``
    /// says so; a failed delivery is logged, never the run's problem.
    func announce(_ outcome: Outcome, clientID: Int, clientName: String, lease: ExportLease) async {
        guard let notifier, let runID = outcome.runID, Self.announces(outcome) else { return }
        do {
            guard let webhook = try await secrets.slackWebhook(clientID: clientID) else { return }
            let campaigns = try await ExportHistory(database: database).run(id: runID, clientIDs: nil)?.campaigns ?? []
            let retried = try await ExportLedger(database: database, lease: lease, clock: clock, clientID: clientID).openRun() == runID
            let text = Self.message(outcome, clientName: clientName, campaigns: campaigns, retried: outcome.status == "failed" && retried)
            if case .failed(let reason) = await notifier.send(SlackMessage(SlackMessage.escaped(text)), to: webhook) {
                logger.warning("the Slack message for export run \(runID) was not delivered: \(reason)")
            }
        } catch {
            logger.notice("no Slack message for export run \(runID): \(error)")
        }
    }
}
