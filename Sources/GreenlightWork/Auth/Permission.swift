import Foundation
/// What a caller may do. Roles map to sets of permissions here, once; routes name the permission
/// they need in ``RoutePolicy``.
public enum Permission: String, Sendable, CaseIterable {
    /// Read the queue and emails, claim, approve, edit, reject, undo one's own decision (within the caller's clients).
    case review
    /// Put anyone's decided email back in the queue (a reviewer undoes their own decisions with `review`).
    case undo
    /// Read clients, context packs and templates.
    case viewClients
    /// Upload contact CSVs and read import reports.
    case importContacts
    /// Read the audit log.
    case viewAudit
    /// Read clients' rollout readiness and calibration; promote, restore, change thresholds, pause.
    case manageRollout
    /// See and manage the team: invite users, change their role and clients, deactivate them, make
    /// password-reset links — managers within their clients and never for an admin (``TeamActor``).
    case manageTeam
    /// Create clients, and change the clients one works on: settings and context pack, API keys and
    /// model budgets (managers of the client, admins).
    case manageClients
    /// Archive a client (out of every list, queue and export; its data kept) and restore it (admins).
    case archiveClients
    /// Read the server's metrics at `/metrics` (admins; a scraper uses `GREENLIGHT_METRICS_TOKEN`).
    case viewMetrics
}

extension Role {
    /// The permissions each role holds. The command line (shell access to the server) can do all of it.
    public var permissions: Set<Permission> {
        switch self {
        case .sdr: [.review, .viewClients]
        case .manager: [.review, .viewClients, .undo, .importContacts, .manageRollout, .manageTeam, .manageClients]
        case .admin: Set(Permission.allCases)
        }
    }
}
