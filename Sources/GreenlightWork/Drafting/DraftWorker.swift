import Foundation
import Logging
import SQLKit
import GreenlightCore

/// Drafts queued batches in the background (issue 16) — batches an import queued in the write that
/// ended it (`ContactImporter`'s `queuedAt`, used by the job API and `greenlight import --queue`): claims a few pending contacts at a time with
/// a lease — a conditional update, with `FOR UPDATE SKIP LOCKED` on PostgreSQL so several instances
/// share one batch without waiting on each other — drafts them `concurrency` at a time, and stores
/// each only while it still holds its lease. A worker that dies leaves leases that run out; another
/// worker then takes those contacts, and none is drafted twice (the store checks the lease, and a
/// contact has one email per template).
public struct DraftWorker: Sendable {
    let database: Database
    let generator: DraftGenerator
    let clock: TimeSource
    /// This worker's name in the leases (host, process, a random part).
    public let owner: String
    let leaseMilliseconds: Int
    /// Contacts claimed at a time.
    let claimSize: Int
    /// Contacts drafted at once.
    let concurrency: Int
    let afterClaim: @Sendable ([Int]) async throws -> Void
    let metrics: (any WorkMetrics)?

    /// - Parameter afterClaim: runs with the claimed contacts' ids before drafting; a test throws from it to stand in for a crash.
    public init(
        database: Database, filler: any VariableFiller, clock: TimeSource = .system, owner: String? = nil, leaseSeconds: Int = 300,
        claimSize: Int = 16, concurrency: Int = 8, metrics: (any WorkMetrics)? = nil,
        afterClaim: @escaping @Sendable ([Int]) async throws -> Void = { _ in }
    ) {
        self.database = database
        self.generator = DraftGenerator(database: database, filler: filler, clock: clock)
        self.clock = clock
        self.owner = owner ?? LeaseOwner.make()
        self.leaseMilliseconds = leaseSeconds * 1000
        self.claimSize = max(1, claimSize)
        self.concurrency = max(1, concurrency)
        self.afterClaim = afterClaim
        self.metrics = metrics
    }

    /// Claims and drafts one handful of contacts; returns how many it stored (0: nothing to do).
    @discardableResult
    public func runOnce() async throws -> Int {
        try await pipeline(refill: { false })
    }

    /// Drafts handful after handful until no queued contact is left to claim, claiming the next
    /// handful while the last ones are still drafted, so the window never empties between them
    /// (what `serve`'s workers run); returns how many it stored.
    /// - Parameter keepClaiming: asked before each further claim; once false (the server is shutting
    ///   down), the contacts in hand are finished and stored and nothing more is claimed.
    @discardableResult
    public func drain(while keepClaiming: @escaping @Sendable () -> Bool = { true }) async throws -> Int {
        try await pipeline(refill: keepClaiming)
    }

    /// Runs until no queued contact is left (for tests and `greenlight generate`).
    @discardableResult
    public func runUntilIdle() async throws -> Int {
        var total = 0
        while true {
            // A cancelled caller stops here rather than claiming again what it could not draft.
            try Task.checkCancellation()
            let stored = try await runOnce()
            if stored == 0, try await !hasClaimable() { return total }
            total += stored
        }
    }

    private struct Claimed: Sendable {
        var batchID: Int
        var contact: ContactProfile
    }

    /// Leases up to `claimSize` pending contacts of queued batches, oldest batch first.
    private func claim(now: Int) async throws -> [Claimed] {
        let until = now + leaseMilliseconds
        let owner = self.owner
        let size = claimSize
        let skipLocked = database.dialect == .postgres ? " FOR UPDATE OF c SKIP LOCKED" : ""
        return try await database.write { sql in
            let ids = try await sql.raw(
                """
                UPDATE contacts SET lease_owner = \(bind: owner), lease_expires_at = \(bind: until)
                WHERE id IN (SELECT c.id FROM contacts c JOIN contact_batches b ON b.id = c.batch_id
                    WHERE b.queued_at IS NOT NULL AND b.status IN \(unsafeRaw: BatchStatus.draftingSQL) AND c.status = 'pending'
                    AND (c.lease_expires_at IS NULL OR c.lease_expires_at < \(bind: now))
                    ORDER BY c.batch_id, c.id LIMIT \(bind: size)\(unsafeRaw: skipLocked))
                RETURNING id
                """
            ).all().map { try $0.decode(column: "id", as: Int.self) }
            guard !ids.isEmpty else { return [] }
            try await sql.raw(
                """
                UPDATE contact_batches SET status = 'generating' WHERE status = 'imported' AND id IN (SELECT batch_id FROM contacts WHERE id IN (\(binds: ids)))
                """
            ).run()
            return try await sql.raw(
                """
                SELECT batch_id, \(unsafeRaw: DraftGenerator.profileColumns) FROM contacts WHERE id IN (\(binds: ids)) ORDER BY id
                """
            ).all().map { Claimed(batchID: try $0.decode(column: "batch_id", as: Int.self), contact: try DraftGenerator.profile($0)) }
        }
    }

    /// Whether any contact of a queued batch is pending and not leased by a live worker.
    private func hasClaimable() async throws -> Bool {
        let now = clock.nowMillis()
        return try await database.read { sql in
            try await sql.raw(
                """
                SELECT c.id FROM contacts c JOIN contact_batches b ON b.id = c.batch_id
                WHERE b.queued_at IS NOT NULL AND b.status IN \(unsafeRaw: BatchStatus.draftingSQL) AND c.status = 'pending'
                AND (c.lease_expires_at IS NULL OR c.lease_expires_at < \(bind: now)) LIMIT 1
                """
            ).first() != nil
        }
    }

    private typealias Outcome = (claimed: Claimed, result: Result<DraftGenerator.Draft, any Error>)

    /// Drafts the claimed contacts `concurrency` at once, the next starting as soon as any finishes (a
    /// slow contact holds one place, never the others), storing each batch's drafts `concurrency` at
    /// a time while the rest go on; with `refill`, claims the next handful once fewer than
    /// `concurrency` wait. Batches with nothing pending left are ended.
    private func pipeline(refill: @Sendable () -> Bool) async throws -> Int {
        var waiting = try await claim(now: clock.nowMillis())[...]
        guard !waiting.isEmpty else { return 0 }
        try await afterClaim(waiting.map(\.contact.id))
        var contexts: [Int: (client: DraftClient, template: TemplateRecord)] = [:]
        var done: [Int: (drafts: [DraftGenerator.Draft], failures: [(Int, String)])] = [:]
        var stored = 0
        var budgetReached = false
        let generator = self.generator
        try await withThrowingTaskGroup(of: Outcome.self) { tasks in
            func startNext() async throws -> Bool {
                if !budgetReached, waiting.count < concurrency, refill() {
                    let more = try await claim(now: clock.nowMillis())
                    if !more.isEmpty { try await afterClaim(more.map(\.contact.id)) }
                    waiting.append(contentsOf: more)
                }
                guard let next = waiting.popFirst() else { return false }
                if contexts[next.batchID] == nil { contexts[next.batchID] = try await generator.context(batchID: next.batchID) }
                let context = contexts[next.batchID]!
                tasks.addTask {
                    do { return (next, .success(try await generator.draft(next.contact, client: context.client, template: context.template))) } catch
                    { return (next, .failure(error)) }
                }
                return true
            }
            var since = ContinuousClock.now
            func flush(_ batchID: Int) async throws {
                guard let finished = done.removeValue(forKey: batchID), let context = contexts[batchID] else { return }
                let count = try await generator.store(
                    finished.drafts.sorted { $0.contact.id < $1.contact.id }, failures: finished.failures,
                    clientID: context.client.id, templateID: context.template.id, batchID: batchID, owner: owner)
                stored += count
                metrics?.drafted(stored: count, failed: finished.failures.count, duration: ContinuousClock.now - since)
                since = ContinuousClock.now
            }
            for _ in 0..<concurrency where try await !startNext() { break }
            while let (claimed, result) = try await tasks.next() {
                let batchID = claimed.batchID
                switch result {
                case .success(let draft): done[batchID, default: ([], [])].drafts.append(draft)
                // A budget reached is no failure of the contact: its lease runs out and it is drafted later; no more are claimed.
                case .failure(let error) where error is BudgetReached: budgetReached = true
                case .failure(let error): done[batchID, default: ([], [])].failures.append((claimed.contact.id, String(describing: error)))
                }
                if let finished = done[batchID], finished.drafts.count + finished.failures.count >= concurrency { try await flush(batchID) }
                _ = try await startNext()
            }
            for batchID in done.keys.sorted() { try await flush(batchID) }
        }
        for batchID in contexts.keys.sorted() {
            try await database.write { sql in
                try await sql.raw(
                    """
                    UPDATE contact_batches SET status = 'generated', generated_at = \(bind: clock.nowMillis())
                    WHERE id = \(bind: batchID) AND status = 'generating' AND NOT EXISTS (SELECT 1 FROM contacts WHERE batch_id = \(bind: batchID) AND status = 'pending')
                    """
                ).run()
            }
        }
        return stored
    }
}
