import Foundation
import SQLKit
import GreenlightCore

/// One export task at a time per client, coordinated in the database so several app instances (or a
/// command beside the server) can share it: a lease on the client's row, taken by a conditional
/// update, renewed while its task works, that expires when its holder dies.
///
/// The lease belongs to one running task, never to a process: every start makes a new owner (host,
/// process and a random token), so a second start in the same process — a double click, the API
/// beside the page, the scheduler's tick — is refused like one from another machine. Every ledger
/// write renews it in the same transaction and fails when the owner is no longer the holder, so a
/// task that lost its lease can never write over its successor's work.
struct ExportLease: Sendable {
    let clientID: Int
    /// The task that holds it (``LeaseOwner``), shown to whoever is refused.
    let owner: String
    /// How long the lease lasts after each renewal.
    let milliseconds: Int

    /// Takes the lease if nobody holds it, or the holder's has run out, or the holder's process is
    /// gone for sure (``ProcessIdentity``); else says who holds it, since when and until when.
    /// - Parameter by: who starts the task ("Ana", "the schedule", "API key clay"), shown to whoever is refused.
    func acquire(_ sql: any SQLDatabase, now: Int, by: String) async throws -> ExportBusy.Holder? {
        let process = ProcessIdentity.current?.recorded
        let taken = try await sql.raw(
            """
            UPDATE clients SET export_lease_owner = \(bind: owner), export_lease_expires_at = \(bind: now + milliseconds),
            export_lease_process = \(bind: process), export_lease_since = \(bind: now), export_lease_by = \(bind: by)
            WHERE id = \(bind: clientID) AND (export_lease_owner IS NULL OR export_lease_expires_at < \(bind: now))
            RETURNING id
            """
        ).first()
        if taken != nil { return nil }
        guard
            let row = try await sql.raw(
                """
                SELECT export_lease_owner, export_lease_expires_at, export_lease_process, export_lease_since, export_lease_by FROM clients WHERE id = \(bind: clientID)
                """
            ).first()
        else {
            throw NotFound("client \(clientID)")
        }
        let holder = try row.decode(column: "export_lease_owner", as: String?.self) ?? "another exporter"
        if let recorded = try row.decode(column: "export_lease_process", as: String?.self), ProcessIdentity.isGone(recorded) {
            let taken = try await sql.raw(
                """
                UPDATE clients SET export_lease_owner = \(bind: owner), export_lease_expires_at = \(bind: now + milliseconds),
                export_lease_process = \(bind: process), export_lease_since = \(bind: now), export_lease_by = \(bind: by)
                WHERE id = \(bind: clientID) AND export_lease_owner = \(bind: holder) RETURNING id
                """
            ).first()
            if taken != nil { return nil }
        }
        return ExportBusy.Holder(
            owner: holder, by: try row.decode(column: "export_lease_by", as: String?.self),
            since: try row.decode(column: "export_lease_since", as: Int?.self),
            until: try row.decode(column: "export_lease_expires_at", as: Int?.self) ?? now)
    }

    /// Extends the lease; throws ``ExportLeaseLost`` when it is no longer ours.
    func renew(_ sql: any SQLDatabase, now: Int) async throws {
        let renewed = try await sql.raw(
            """
            UPDATE clients SET export_lease_expires_at = \(bind: now + milliseconds)
            WHERE id = \(bind: clientID) AND export_lease_owner = \(bind: owner) RETURNING id
            """
        ).first()
        guard renewed != nil else { throw ExportLeaseLost(clientID: clientID) }
    }

    func release(_ sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE clients SET export_lease_owner = NULL, export_lease_expires_at = NULL, export_lease_process = NULL,
            export_lease_since = NULL, export_lease_by = NULL WHERE id = \(bind: clientID) AND export_lease_owner = \(bind: owner)
            """
        ).run()
    }
}

/// Another exporter took the client's lease (ours ran out): this one stops without writing.
public struct ExportLeaseLost: Error, CustomStringConvertible {
    public var clientID: Int
    public var description: String { "the export lease of client \(clientID) was taken over by another exporter; this run stopped without writing" }
}

/// An export of the client is already running: who started it, since when, and the run it works on.
public struct ExportBusy: Error, CustomStringConvertible {
    /// The lease's holder as recorded.
    public struct Holder: Sendable, Equatable {
        public var owner: String
        public var by: String?
        public var since: Int?
        public var until: Int
    }

    public var clientName: String
    public var holder: Holder
    /// The run the holder works on, when one is recorded yet.
    public var runID: Int?

    public var owner: String { holder.owner }

    public var description: String {
        var text = "an export of \(clientName) is already running"
        if let runID { text += " (run \(runID))" }
        if let by = holder.by { text += ", started by \(by)" }
        if let since = holder.since { text += " at \(DateText.format(since))" }
        return text + ": wait for it to end (\(holder.owner), lease until \(DateText.format(holder.until)))"
    }
}
