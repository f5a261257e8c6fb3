import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SQLKit

/// One exporter at a time per client, coordinated in the database so several app instances (or a
/// cron job beside the server) can share it: a lease on the client's row, taken and renewed by
/// conditional updates, that expires when its holder dies. Every ledger write renews it in the same
/// transaction and fails when another exporter has taken over, so a holder that stalled past its
/// lease can never write over the new one's work.
struct ExportLease: Sendable {
    let clientID: Int
    /// Who holds it: host, process and a random part, shown to whoever is refused.
    let owner: String
    /// How long the lease lasts after each renewal; longer than any one remote call with its retries.
    let milliseconds: Int

    static func makeOwner() -> String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Whether `owner` names a process of this machine that no longer exists (killed, crashed): its
    /// lease can be taken at once instead of waiting for it to run out. A live or reused process id,
    /// or another machine, is left to expire.
    static func isDeadLocalProcess(_ owner: String) -> Bool {
        let parts = owner.split(separator: ":")
        guard parts.count == 3, parts[0] == ProcessInfo.processInfo.hostName, let pid = Int32(parts[1]), pid > 0,
              pid != ProcessInfo.processInfo.processIdentifier else { return false }
        return kill(pid, 0) == -1 && errno == ESRCH
    }

    /// Takes the lease if nobody holds it (or the holder's has run out, or its process on this machine
    /// is gone); else says who holds it until when.
    func acquire(_ sql: any SQLDatabase, now: Int) async throws -> (owner: String, until: Int)? {
        let taken = try await sql.raw("""
            UPDATE clients SET export_lease_owner = \(bind: owner), export_lease_expires_at = \(bind: now + milliseconds)
            WHERE id = \(bind: clientID) AND (export_lease_owner IS NULL OR export_lease_expires_at < \(bind: now) OR export_lease_owner = \(bind: owner))
            RETURNING id
            """).first()
        if taken != nil { return nil }
        guard let row = try await sql.raw("SELECT export_lease_owner, export_lease_expires_at FROM clients WHERE id = \(bind: clientID)").first() else {
            throw NotFound("client \(clientID)")
        }
        let holder = try row.decode(column: "export_lease_owner", as: String?.self) ?? "another exporter"
        if Self.isDeadLocalProcess(holder) {
            let taken = try await sql.raw("""
                UPDATE clients SET export_lease_owner = \(bind: owner), export_lease_expires_at = \(bind: now + milliseconds)
                WHERE id = \(bind: clientID) AND export_lease_owner = \(bind: holder) RETURNING id
                """).first()
            if taken != nil { return nil }
        }
        return (holder, try row.decode(column: "export_lease_expires_at", as: Int?.self) ?? now)
    }

    /// Extends the lease; throws ``ExportLeaseLost`` when it is no longer ours.
    func renew(_ sql: any SQLDatabase, now: Int) async throws {
        let renewed = try await sql.raw("""
            UPDATE clients SET export_lease_expires_at = \(bind: now + milliseconds)
            WHERE id = \(bind: clientID) AND export_lease_owner = \(bind: owner) RETURNING id
            """).first()
        guard renewed != nil else { throw ExportLeaseLost(clientID: clientID) }
    }

    func release(_ sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE clients SET export_lease_owner = NULL, export_lease_expires_at = NULL WHERE id = \(bind: clientID) AND export_lease_owner = \(bind: owner)
            """).run()
    }
}

/// Another exporter took the client's lease (ours ran out): this one stops without writing.
public struct ExportLeaseLost: Error, CustomStringConvertible {
    public var clientID: Int
    public var description: String { "the export lease of client \(clientID) was taken over by another exporter; this run stopped without writing" }
}

/// An export of the client is already running elsewhere.
public struct ExportBusy: Error, CustomStringConvertible {
    public var clientName: String
    public var owner: String
    public var until: Int
    public var description: String {
        "an export of \(clientName) is already running (\(owner), lease until \(DateText.format(until))): try again after it ends"
    }
}
