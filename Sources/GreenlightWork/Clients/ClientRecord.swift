import Foundation
import GreenlightEmails
/// A stored client: its id, settings and context pack.
public struct ClientRecord: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var website: String
    public var senderName: String
    public var senderTitle: String
    public var senderEmail: String
    public var timezone: String
    public var exportHour: Int
    public var phase: RolloutPhase
    public var pack: ContextPack
    /// When it was archived (out of lists, queues and exports; data kept); nil while active.
    public var archivedAt: Int? = nil
}

/// A stored template with its id and client.
public struct TemplateRecord: Sendable, Equatable {
    public var id: Int
    public var clientID: Int
    public var template: EmailTemplate
    /// When it was retired (no new drafts use it); nil while in use.
    public var retiredAt: Int? = nil
}
