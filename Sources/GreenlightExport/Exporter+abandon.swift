import Foundation
import GreenlightCore
import GreenlightWork

extension Exporter {
    /// What abandoning a run settled.
    public struct Abandoned: Sendable, Equatable {
        public var runID: Int
        public var clientName: String
        /// Unanswered leads the sequencer holds, now `sent`.
        public var held: Int
        /// Unanswered leads it does not hold and claims not sent yet: their emails approved for the next run.
        public var returned: Int
        /// Campaigns that were waiting to start and are left to start by hand.
        public var unstarted: [String]

        /// "Run 12 of Northwind abandoned: 40 leads Instantly holds marked sent, 10 emails approved again for the next run."
        public var sentence: String {
            var text =
                "Run \(runID) of \(clientName) abandoned: \(held) lead\(held == 1 ? "" : "s") the sequencer holds marked sent, "
                + "\(returned) email\(returned == 1 ? "" : "s") approved again for the next run."
            if !unstarted.isEmpty { text += " Not started: \(unstarted.joined(separator: "; ")) — start it in the sequencer if it should send." }
            return text
        }
    }

    /// Ends a run that cannot finish, for a manager: under the client's lease (refused with
    /// ``ExportBusy`` while a task works it), asks the sequencer which of the run's unanswered leads it
    /// holds (those are `sent`; the rest, and the claims not sent yet, go back to approved), leaves
    /// campaigns still to start to be started by hand, and records the run `abandoned`, audited.
    /// Refuses with a message, changing nothing, when the run is not unfinished or the sequencer
    /// cannot say what it holds.
    /// - Parameter clientIDs: the clients the caller sees (nil: all).
    public func abandon(runID: Int, clientIDs: [Int]?, by: String, userID: Int?) async throws -> Abandoned {
        guard let run = try await ExportHistory(database: database).run(id: runID, clientIDs: clientIDs),
            run.status != .awaitingUpload
        else {
            throw NotFound("export run \(runID)")
        }
        let settings = try await database.read { sql in try await ExportSettings.load(sql, clientID: run.clientID) }
        let lease = try await takeLease(clientID: run.clientID, clientName: settings.clientName, by: "\(by), abandoning run \(runID)")
        do {
            let ledger = ExportLedger(database: database, lease: lease, clock: clock, clientID: run.clientID)
            guard try await ledger.openRun() == runID else {
                throw InputError(field: "run", "run \(runID) of \(settings.clientName) is \(run.status), not unfinished: nothing to abandon")
            }
            let waiting = try await ledger.pendingActivations(runID: runID).map(\.name)
            var settled = (held: 0, missing: 0)
            if try await !ledger.unanswered(runID: runID).isEmpty {
                let keys = try await secrets.get(clientID: run.clientID)
                guard let kind = keys.sequencerKind, kind.hasAPI, let key = keys.sequencerKey else {
                    throw InputError(
                        field: "run",
                        "\(settings.clientName) has no sequencer key to ask which unanswered leads it holds: connect it, then abandon the run")
                }
                do {
                    settled = try await settle(
                        runID: runID, ledger: ledger, sequencer: try factory.make(kind: kind, key: key), reason: "run \(runID) was abandoned by \(by)"
                    )
                } catch let error as SequencerError {
                    throw InputError(
                        field: "run",
                        "the sequencer could not say which unanswered leads of run \(runID) it holds (\(error.description)): nothing changed; try again when it answers"
                    )
                }
            }
            let released = try await ledger.abandon(runID: runID, by: by, userID: userID, clientName: settings.clientName)
            try await database.write { sql in try await lease.release(sql) }
            return Abandoned(
                runID: runID, clientName: settings.clientName, held: settled.held, returned: settled.missing + released, unstarted: waiting)
        } catch {
            try? await database.write { sql in try await lease.release(sql) }
            throw error
        }
    }
}
