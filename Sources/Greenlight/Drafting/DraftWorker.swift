import Foundation
import Logging
import SQLKit

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

    /// - Parameter afterClaim: runs with the claimed contacts' ids before drafting; a test throws from it to stand in for a crash.
    public init(database: Database, filler: any VariableFiller, clock: TimeSource = .system, owner: String? = nil, leaseSeconds: Int = 300,
                claimSize: Int = 16, concurrency: Int = 8, afterClaim: @escaping @Sendable ([Int]) async throws -> Void = { _ in }) {
        self.database = database
        self.generator = DraftGenerator(database: database, filler: filler)
        self.clock = clock
        self.owner = owner ?? ExportLease.makeOwner()
        self.leaseMilliseconds = leaseSeconds * 1000
        self.claimSize = max(1, claimSize)
        self.concurrency = max(1, concurrency)
        self.afterClaim = afterClaim
    }

    /// Claims and drafts one handful of contacts; returns how many it stored (0: nothing to do).
    @discardableResult
    public func runOnce() async throws -> Int {
        let now = clock.nowMillis()
        let claimed = try await claim(now: now)
        guard !claimed.isEmpty else { return 0 }
        try await afterClaim(claimed.map(\.contact.id))
        var stored = 0
        for (batchID, members) in Dictionary(grouping: claimed, by: \.batchID).sorted(by: { $0.key < $1.key }) {
            stored += try await draft(members.map(\.contact), batchID: batchID)
        }
        return stored
    }

    /// Runs until no queued contact is left (for tests and `greenlight generate`).
    @discardableResult
    public func runUntilIdle() async throws -> Int {
        var total = 0
        while true {
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
            let ids = try await sql.raw("""
                UPDATE contacts SET lease_owner = \(bind: owner), lease_expires_at = \(bind: until)
                WHERE id IN (SELECT c.id FROM contacts c JOIN contact_batches b ON b.id = c.batch_id
                    WHERE b.queued_at IS NOT NULL AND b.status IN ('imported', 'generating') AND c.status = 'pending'
                    AND (c.lease_expires_at IS NULL OR c.lease_expires_at < \(bind: now))
                    ORDER BY c.batch_id, c.id LIMIT \(bind: size)\(unsafeRaw: skipLocked))
                RETURNING id
                """).all().map { try $0.decode(column: "id", as: Int.self) }
            guard !ids.isEmpty else { return [] }
            try await sql.raw("""
                UPDATE contact_batches SET status = 'generating' WHERE status = 'imported' AND id IN (SELECT batch_id FROM contacts WHERE id IN (\(binds: ids)))
                """).run()
            return try await sql.raw("""
                SELECT batch_id, \(unsafeRaw: DraftGenerator.profileColumns) FROM contacts WHERE id IN (\(binds: ids)) ORDER BY id
                """).all().map { Claimed(batchID: try $0.decode(column: "batch_id", as: Int.self), contact: try DraftGenerator.profile($0)) }
        }
    }

    /// Whether any contact of a queued batch is pending and not leased by a live worker.
    private func hasClaimable() async throws -> Bool {
        let now = clock.nowMillis()
        return try await database.read { sql in
            try await sql.raw("""
                SELECT c.id FROM contacts c JOIN contact_batches b ON b.id = c.batch_id
                WHERE b.queued_at IS NOT NULL AND b.status IN ('imported', 'generating') AND c.status = 'pending'
                AND (c.lease_expires_at IS NULL OR c.lease_expires_at < \(bind: now)) LIMIT 1
                """).first() != nil
        }
    }

    /// Drafts the contacts of one batch, `concurrency` at once, stores those still leased, and ends the batch when none is pending.
    private func draft(_ contacts: [ContactProfile], batchID: Int) async throws -> Int {
        let context = try await generator.context(batchID: batchID)
        var drafts: [DraftGenerator.Draft] = []
        var failures: [(Int, String)] = []
        let generator = self.generator
        // Up to `concurrency` contacts at once, the next one starting as soon as any finishes: one slow
        // contact holds one place, never the others.
        await withTaskGroup(of: (Int, Result<DraftGenerator.Draft, any Error>).self) { tasks in
            var pending = contacts.makeIterator()
            func startNext() -> Bool {
                guard let contact = pending.next() else { return false }
                tasks.addTask {
                    do { return (contact.id, .success(try await generator.draft(contact, client: context.client, template: context.template))) } catch { return (contact.id, .failure(error)) }
                }
                return true
            }
            for _ in 0..<concurrency where !startNext() { break }
            while let (id, result) = await tasks.next() {
                switch result {
                case .success(let draft): drafts.append(draft)
                // A budget reached is no failure of the contact: its lease runs out and it is drafted later.
                case .failure(let error) where error is BudgetReached: break
                case .failure(let error): failures.append((id, String(describing: error)))
                }
                _ = startNext()
            }
        }
        let stored = try await generator.store(drafts.sorted { $0.contact.id < $1.contact.id }, failures: failures, clientID: context.client.id,
                                               templateID: context.template.id, batchID: batchID, owner: owner)
        try await database.write { sql in
            try await sql.raw("""
                UPDATE contact_batches SET status = 'generated', generated_at = \(bind: clock.nowMillis())
                WHERE id = \(bind: batchID) AND status = 'generating' AND NOT EXISTS (SELECT 1 FROM contacts WHERE batch_id = \(bind: batchID) AND status = 'pending')
                """).run()
        }
        return stored
    }
}
