import Foundation
import GreenlightEmails

/// Where one client stands: its phase, its settings, and whether its auto-approval and export are paused
/// (by its own kill switch or the global one).
public struct RolloutState: Sendable, Equatable {
    public var clientID: Int
    public var clientName: String
    public var phase: RolloutPhase
    public var settings: RolloutSettings
    /// When the client's own kill switch was turned on.
    public var pausedAt: Int?
    public var pausedBy: String?
    /// Whether the global kill switch is on.
    public var pausedGlobally: Bool
    /// When the current phase began (its last promotion, demotion or restore), if it ever changed.
    public var phaseSince: Int?

    /// Whether auto-approval and export are stopped for this client.
    public var paused: Bool { pausedAt != nil || pausedGlobally }

    /// The gate this client's new drafts go through.
    public var gate: RolloutGate { RolloutGate(phase: phase, settings: settings, paused: paused) }
}
