import Foundation
import Logging
import SQLKit
import GreenlightCore
import GreenlightWork

/// Exports a client's approved emails to its sequencer, one run at a time.
///
/// A run takes the client's lease, finishes any run left open (killed, or ended with a batch whose
/// answer never came), or records a new one that claims the approved emails; then for each template
/// it finds or creates the campaign `{client} - {template} - {day}` and adds the leads in batches,
/// writing the ledger before and after every remote call. After a crash at any step the next run
/// asks the sequencer which leads of an unanswered batch it already holds before sending again, so
/// no lead is added twice and none is lost. The kill switch stops new runs and ends a running one
/// between batches; the emails it did not send stay approved.
public struct Exporter: Sendable {
    /// Where a run was started from.
    public enum Trigger: String, Sendable {
        case schedule, manual, command
    }

    /// What a run came to.
    public struct Outcome: Sendable, Equatable {
        public var runID: Int?
        /// `finished`, `failed`, `stopped` (kill switch), `paused` (no run: the kill switch is on), `nothing` (no key or sequencer).
        public var status: String
        public var claimed: Int
        public var sent: Int
        public var failed: Int
        public var error: String?
        public var resumed: Bool
        /// How many times the last run has ended `failed` (this time included).
        public var failures = 0
        /// A resumed run that had failed this many times finished now; nil when none.
        public var recoveredAfter: Int?

        /// This outcome followed by a later run's: counts added, the later status, id and error.
        func then(_ later: Outcome) -> Outcome {
            var next = Outcome(
                runID: later.runID ?? runID, status: later.status, claimed: claimed + later.claimed, sent: sent + later.sent,
                failed: failed + later.failed, error: later.error ?? error, resumed: resumed || later.resumed)
            next.failures = later.failures
            next.recoveredAfter = later.recoveredAfter ?? recoveredAfter
            return next
        }
    }

    let database: Database
    package let secrets: ClientSecrets
    package let factory: SequencerFactory
    let clock: TimeSource
    /// Names this instance in the owner of each task's lease (`host:pid` unless a test names it).
    let instance: String?
    let leaseMilliseconds: Int
    /// How often (real time) a running task looks whether its lease is due for renewal.
    let renewalCheck: Duration
    let logger: Logger
    let afterStep: @Sendable (ExportStep) async throws -> Void
    let notifier: SlackNotifier?
    let metrics: (any WorkMetrics)?

    /// - Parameter metrics: counts the runs, the emails sent and how long runs take (the server's).
    /// - Parameter notifier: posts one message to the client's stored Slack webhook when a run ends (none: no message).
    /// - Parameter owner: names this instance in each task's lease owner (default `host:pid`).
    /// - Parameter renewalCheck: how often a running task looks, on the real clock, whether a third of
    ///   its lease has passed on `clock` and renews it (default 10 s; tests on a manual clock look often).
    /// - Parameter afterStep: runs after each durable step; a test throws from it to stop the run there.
    public init(
        database: Database, secrets: ClientSecrets, factory: SequencerFactory, clock: TimeSource = .system, logger: Logger,
        owner: String? = nil, leaseSeconds: Int = 300, renewalCheck: Duration = .seconds(10), notifier: SlackNotifier? = nil,
        metrics: (any WorkMetrics)? = nil, afterStep: @escaping @Sendable (ExportStep) async throws -> Void = { _ in }
    ) {
        self.notifier = notifier
        self.metrics = metrics
        self.database = database
        self.secrets = secrets
        self.factory = factory
        self.clock = clock
        self.instance = owner
        self.leaseMilliseconds = leaseSeconds * 1000
        self.renewalCheck = renewalCheck
        self.logger = logger
        self.afterStep = afterStep
    }

    /// Runs (or resumes) the client's export as one task holding the client's lease. Throws
    /// ``ExportBusy`` when another task holds it.
    /// - Parameter resumeOnly: only finish a run an earlier one left open; claim nothing new (no run: `runID` nil).
    /// - Parameter by: who starts it, shown to whoever is refused while it runs.
    public func run(clientID: Int, trigger: Trigger = .manual, localDay: String? = nil, resumeOnly: Bool = false, by: String? = nil) async throws
        -> Outcome
    {
        let settings = try await database.read { sql in try await ExportSettings.load(sql, clientID: clientID) }
        let lease = try await takeLease(clientID: clientID, clientName: settings.clientName, by: Self.starter(trigger, by: by))
        return try await run(clientID: clientID, holding: lease, trigger: trigger, localDay: localDay, resumeOnly: resumeOnly)
    }

    /// The task's work under a lease it took: renewed in the background every third of its length
    /// while it works, released when it ends. A task whose lease was taken over writes nothing more
    /// and makes no further remote call (``ExportLeaseLost``).
    func run(clientID: Int, holding lease: ExportLease, trigger: Trigger, localDay: String? = nil, resumeOnly: Bool = false) async throws -> Outcome {
        let settings = try await database.read { sql in try await ExportSettings.load(sql, clientID: clientID) }
        let started = ContinuousClock.now
        let keeper = LeaseKeeper(database: database, lease: lease, clock: clock, check: renewalCheck, logger: logger)
        let renewing = keeper.start()
        defer { renewing.cancel() }
        do {
            let outcome = try await work(
                clientID: clientID, settings: settings, lease: lease, trigger: trigger, localDay: localDay, resumeOnly: resumeOnly)
            renewing.cancel()
            try await database.write { sql in try await lease.release(sql) }
            await announce(outcome, clientID: clientID, clientName: settings.clientName, lease: lease)
            metrics?.exported(sent: outcome.sent, outcome: outcome.status, duration: ContinuousClock.now - started)
            return outcome
        } catch {
            renewing.cancel()
            try? await database.write { sql in try await lease.release(sql) }
            metrics?.exported(sent: 0, outcome: "error", duration: ContinuousClock.now - started)
            throw error
        }
    }

    /// Starts the client's export and returns its run's id at once (the open run it resumes, or a new
    /// one), the rest going on in the background: "run now" from the page or the API. The lease is
    /// taken for the background task before returning, so a second start while it works — from this
    /// process or another — is refused with ``ExportBusy``. Refuses with a message when the client
    /// has no key, or when the kill switch is on.
    /// - Parameter resumeOnly: only finish the open run (e.g. start a campaign left unstarted); claim nothing new.
    /// - Parameter by: who starts it (a user's name, an API key's), shown to whoever is refused while it runs.
    public func start(clientID: Int, trigger: Trigger = .manual, resumeOnly: Bool = false, by: String) async throws -> Int {
        let settings = try await database.read { sql in try await ExportSettings.load(sql, clientID: clientID) }
        let lease = try await takeLease(clientID: clientID, clientName: settings.clientName, by: by)
        do {
            let keys = try await secrets.get(clientID: clientID)
            guard let kind = keys.sequencerKind, kind.hasAPI, keys.sequencerKey != nil else {
                throw InputError(field: "client", "\(settings.clientName) has no sequencer key: connect one on the export page, or download the CSV")
            }
            let ledger = ExportLedger(database: database, lease: lease, clock: clock, clientID: clientID)
            var runID = try await ledger.openRun()
            if runID == nil {
                if resumeOnly { throw InputError(field: "client", "\(settings.clientName) has no unfinished export run") }
                if try await RolloutRepository(database: database, clock: clock).state(clientID: clientID).paused {
                    throw InputError(field: "client", "the kill switch is on for \(settings.clientName): no export until it is resumed")
                }
                runID = try await ledger.claim(kind: kind, trigger: trigger.rawValue, localDay: nil)?.runID
            }
            guard let runID else { throw StorageError("no export run was recorded") }
            let exporter = self
            Task {
                do {
                    _ = try await exporter.run(clientID: clientID, holding: lease, trigger: trigger, resumeOnly: resumeOnly)
                } catch {
                    exporter.logger.error("export run \(runID) stopped: \(error)")
                }
            }
            return runID
        } catch {
            try? await database.write { sql in try await lease.release(sql) }
            throw error
        }
    }

    private func work(clientID: Int, settings: ExportSettings, lease: ExportLease, trigger: Trigger, localDay: String?, resumeOnly: Bool) async throws
        -> Outcome
    {
        let ledger = ExportLedger(database: database, lease: lease, clock: clock, clientID: clientID)
        let rollout = RolloutRepository(database: database, clock: clock)
        let keys = try await secrets.get(clientID: clientID)
        guard let kind = keys.sequencerKind, kind.hasAPI, let key = keys.sequencerKey else {
            return Outcome(
                runID: nil, status: "nothing", claimed: 0, sent: 0, failed: 0,
                error:
                    "\(settings.clientName) has no sequencer key: connect one on the export page (or with `greenlight secrets set`), or download the CSV",
                resumed: false)
        }
        let sequencer = try factory.make(kind: kind, key: key)
        var outcome = Outcome(runID: nil, status: "finished", claimed: 0, sent: 0, failed: 0, error: nil, resumed: false)
        // First whatever an earlier run left open (killed, ended with a batch unanswered or a campaign not started).
        if let open = try await ledger.openRun() {
            if try await rollout.state(clientID: clientID).paused, try await ledger.hasEnded(runID: open) {
                // Stopped or failed already: it waits, untouched, until the kill switch is off.
                return Outcome(
                    runID: nil, status: "paused", claimed: 0, sent: 0, failed: 0,
                    error: "the kill switch is on for \(settings.clientName): no export until it is resumed", resumed: false)
            }
            let failedBefore = try await ledger.failures(runID: open)
            outcome = outcome.then(try await proceed(runID: open, clientID: clientID, settings: settings, ledger: ledger, sequencer: sequencer))
            outcome.resumed = true
            if outcome.status == "finished", failedBefore > 0 { outcome.recoveredAfter = failedBefore }
            guard outcome.status == "finished" else { return outcome }
        }
        if resumeOnly { return outcome }
        if try await rollout.state(clientID: clientID).paused {
            guard outcome.runID == nil else { return outcome }
            return Outcome(
                runID: nil, status: "paused", claimed: 0, sent: 0, failed: 0,
                error: "the kill switch is on for \(settings.clientName): no export until it is resumed", resumed: false)
        }
        let day = localDay ?? LocalDay.of(millis: clock.nowMillis(), timeZone: settings.timezone)
        guard
            let runID = try await ledger.claim(
                kind: kind, trigger: trigger.rawValue, localDay: trigger == .schedule ? day : nil, recordEmpty: !outcome.resumed)?.runID
        else {
            return outcome
        }
        try await afterStep(.claimed)
        return outcome.then(try await proceed(runID: runID, clientID: clientID, settings: settings, ledger: ledger, sequencer: sequencer))
    }

    /// Carries a recorded run through every template, then ends it.
    private func proceed(runID: Int, clientID: Int, settings: ExportSettings, ledger: ExportLedger, sequencer: any Sequencer) async throws -> Outcome
    {
        let rollout = RolloutRepository(database: database, clock: clock)
        do {
            for templateID in try await ledger.templates(runID: runID) {
                let finished = try await export(
                    templateID: templateID, runID: runID, settings: settings, ledger: ledger, sequencer: sequencer,
                    paused: { try await rollout.state(clientID: clientID).paused })
                if !finished {
                    try await ledger.finish(runID: runID, status: .stopped, error: "stopped by the kill switch")
                    return try await summary(runID: runID)
                }
            }
            if try await ledger.hasPendingActivation(runID: runID) {
                if try await rollout.state(clientID: clientID).paused {
                    try await ledger.finish(runID: runID, status: .stopped, error: "stopped by the kill switch before its campaign was started")
                    return try await summary(runID: runID)
                }
                if let failure = try await activatePending(runID: runID, ledger: ledger, sequencer: sequencer) {
                    logger.warning(
                        "export campaign not started", metadata: ["client": "\(settings.clientName)", "run": "\(runID)", "reason": "\(failure)"])
                    try await ledger.fail(runID: runID, reason: failure)
                    return try await summary(runID: runID)
                }
            }
            try await ledger.finish(runID: runID, status: .finished)
        } catch let error as SequencerError {
            logger.warning("export failed", metadata: ["client": "\(settings.clientName)", "run": "\(runID)", "reason": "\(error)"])
            if error.isPermanent {
                // Asking again gives the same answer: settle what went unanswered, so the run ends and never blocks the client.
                do {
                    try await settle(runID: runID, ledger: ledger, sequencer: sequencer, reason: error.description)
                } catch let unsettled as SequencerError {
                    logger.warning("export run's unanswered leads not settled", metadata: ["run": "\(runID)", "reason": "\(unsettled)"])
                }
            }
            try await ledger.fail(runID: runID, reason: error.description)
        }
        return try await summary(runID: runID)
    }

    /// One template's campaign and leads; false when the kill switch stopped it before a batch.
    private func export(
        templateID: Int, runID: Int, settings: ExportSettings, ledger: ExportLedger, sequencer: any Sequencer,
        paused: () async throws -> Bool
    ) async throws -> Bool {
        if try await paused() { return false }
        var campaign = try await ledger.campaign(runID: runID, templateID: templateID)
        let template = try await templateFacts(templateID)
        if campaign == nil {
            let day =
                try await database.read { sql in
                    try await sql.raw("SELECT started_at FROM export_runs WHERE id = \(bind: runID)").first()?.decode(
                        column: "started_at", as: Int.self)
                }.map { LocalDay.of(millis: $0, timeZone: settings.timezone) } ?? LocalDay.of(millis: clock.nowMillis(), timeZone: settings.timezone)
            campaign = try await ledger.recordCampaign(
                runID: runID, templateID: templateID, name: "\(settings.clientName) - \(template.name) - \(day)")
            try await afterStep(.campaignRecorded)
        }
        guard var campaign else { return true }
        if campaign.campaignID == nil {
            // A run killed after asking for the campaign may have created it: look it up by name first.
            let id: String
            let wanted = spec(name: campaign.name, settings: settings, followUps: template.followUps)
            try await ledger.renew()
            if let existing = try await sequencer.findCampaign(named: campaign.name) {
                try await sequencer.completeCampaign(id: existing, wanted)
                id = existing
            } else {
                id = try await sequencer.createCampaign(wanted)
            }
            try await afterStep(.campaignCreated)
            try await ledger.saveCampaign(rowID: campaign.rowID, campaignID: id, status: "created", toActivate: settings.activate)
            campaign.campaignID = id
            campaign.status = "created"
            try await afterStep(.campaignSaved)
        }
        guard let campaignID = campaign.campaignID else { return true }

        // A batch whose call went out unanswered: what the sequencer holds is sent; the rest goes again.
        let unanswered = try await ledger.sending(runID: runID, templateID: templateID)
        if !unanswered.isEmpty {
            try await ledger.renew()
            let held = try await sequencer.heldLeads(unanswered.map(\.email), in: campaignID)
            let found = unanswered.compactMap { item in held[item.email.lowercased()].map { (emailID: item.emailID, leadID: $0) } }
            try await ledger.recordSent(runID: runID, leads: found, campaignID: campaignID, campaignName: campaign.name)
            let again = unanswered.filter { held[$0.email.lowercased()] == nil }.map(\.emailID)
            try await ledger.mark(runID: runID, emailIDs: again, status: .claimed)
        }

        while true {
            if try await paused() { return false }
            let batch = try await ledger.nextBatch(runID: runID, templateID: templateID, limit: sequencer.batchLimit)
            if batch.isEmpty { break }
            try await afterStep(.batchRead)
            // Only what is still approved, claimed and not suppressed when it is marked goes (an undo or an
            // unsubscribe may have come since the read).
            let number = try await ledger.nextBatchNumber(runID: runID)
            let marked = Set(try await ledger.markSending(runID: runID, emailIDs: batch, batch: number))
            try await ledger.mark(
                runID: runID, emailIDs: batch.filter { !marked.contains($0) }, status: .released,
                error: "no longer approved, or its address was suppressed since the claim")
            guard !marked.isEmpty else { continue }
            let going = try await ledger.leads(runID: runID, emailIDs: Array(marked))
            try await afterStep(.batchMarked)
            var ids = try await sequencer.addLeads(going.map(\.lead), to: campaignID)
            let skipped = going.filter { ids[$0.lead.email.lowercased()] == nil }
            if !skipped.isEmpty {
                // Skipped because the campaign already holds them (an earlier try): their ids from the sequencer.
                for (email, id) in try await sequencer.heldLeads(skipped.map(\.lead.email), in: campaignID) { ids[email] = id }
            }
            try await afterStep(.batchAdded)
            let sent = going.compactMap { email in ids[email.lead.email.lowercased()].map { (emailID: email.emailID, leadID: $0) } }
            try await ledger.recordSent(runID: runID, leads: sent, campaignID: campaignID, campaignName: campaign.name)
            let refused = going.filter { ids[$0.lead.email.lowercased()] == nil }.map(\.emailID)
            try await ledger.mark(
                runID: runID, emailIDs: refused, status: .failed,
                error: "the sequencer did not take this lead (blocked, invalid or a duplicate elsewhere)")
            try await afterStep(.batchRecorded)
        }
        return true
    }

    /// Starts every campaign of the run still to activate (recorded so when it was created), each
    /// recorded `activated` after its call. Returns why one was not started (kept on the campaign):
    /// the run then fails and stays open, and the next run, or "start it now" on the export page,
    /// tries again.
    private func activatePending(runID: Int, ledger: ExportLedger, sequencer: any Sequencer) async throws -> String? {
        for campaign in try await ledger.pendingActivations(runID: runID) {
            try await ledger.renew()
            do {
                try await sequencer.activate(campaignID: campaign.campaignID)
            } catch  where error.isPermanent {
                // Refused for good (e.g. the campaign is gone): no run tries again; the page keeps why.
                try await ledger.activationRefused(rowID: campaign.rowID, reason: error.description)
                return "campaign \(campaign.name) was not started: \(error.description) — start it in the sequencer once that is fixed"
            } catch {
                try await ledger.activationFailed(rowID: campaign.rowID, reason: error.description)
                return "campaign \(campaign.name) was not started: \(error.description)"
            }
            try await afterStep(.activationCalled)
            try await ledger.saveCampaign(rowID: campaign.rowID, campaignID: campaign.campaignID, status: "activated", toActivate: false)
            try await afterStep(.activated)
        }
        return nil
    }

    /// The campaign: a first step carrying each lead's own reviewed email, then the template's
    /// follow-ups in the same thread, each waiting the days since the step before it.
    func spec(name: String, settings: ExportSettings, followUps: [EmailTemplate.FollowUp]) -> CampaignSpec {
        var steps = [CampaignSpec.Step(delayDays: 0, subject: "{{subject_line}}", body: "{{email_body}}")]
        var previous = 0
        for followUp in followUps.sorted(by: { $0.day < $1.day }) {
            steps.append(.init(delayDays: max(0, followUp.day - previous), subject: "", body: followUp.body))
            previous = followUp.day
        }
        return CampaignSpec(
            name: name, timezone: settings.timezone, days: settings.days, from: settings.from, to: settings.to, steps: steps,
            accounts: settings.accounts, dailyLimit: settings.dailyLimit, stopOnReply: settings.stopOnReply)
    }

    private func templateFacts(_ templateID: Int) async throws -> (name: String, followUps: [EmailTemplate.FollowUp]) {
        guard
            let row = try await database.read({ sql in
                try await sql.raw("SELECT name, follow_ups_json FROM templates WHERE id = \(bind: templateID)").first()
            })
        else { throw NotFound("template \(templateID)") }
        return (
            try row.decode(column: "name", as: String.self),
            try JSONText.decode([EmailTemplate.FollowUp].self, from: try row.decode(column: "follow_ups_json", as: String.self))
        )
    }

    private func summary(runID: Int) async throws -> Outcome {
        guard
            let row = try await database.read({ sql in
                try await sql.raw("SELECT status, claimed, sent, failed, error, failures FROM export_runs WHERE id = \(bind: runID)").first()
            })
        else { throw NotFound("export run \(runID)") }
        var outcome = Outcome(
            runID: runID, status: try row.decode(column: "status", as: String.self), claimed: try row.decode(column: "claimed", as: Int.self),
            sent: try row.decode(column: "sent", as: Int.self), failed: try row.decode(column: "failed", as: Int.self),
            error: try row.decode(column: "error", as: String?.self), resumed: false)
        outcome.failures = try row.decode(column: "failures", as: Int.self)
        return outcome
    }
}
