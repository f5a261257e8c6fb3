import Foundation
import GreenlightCore
import GreenlightWork

/// What the team pages show: the users a manager or admin may manage, the invitations, the forms
/// (with the values as typed and a message beside the field that is wrong) and, once, a link just made.
struct TeamPage {
    /// A user's row.
    struct Member {
        var id: Int
        var name: String
        var email: String
        var role: String
        var clients: String
        var lastSignIn: String
        var status: String
        var isActive: Bool
        var isSelf: Bool
    }

    /// An invitation's row.
    struct Invitation {
        var id: Int
        var email: String
        var role: String
        var clients: String
        var state: String
        var expires: String
        var canResend: Bool
        var canRevoke: Bool
    }

    /// A choice of a select.
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    /// A client checkbox.
    struct ClientChoice {
        var id: Int
        var name: String
        var checked: Bool
    }

    /// A one-time link just made: shown on this page only, never again.
    struct MadeLink {
        var email: String
        var url: String
        var what: String
        var expires: String
    }

    /// The invitation form.
    struct InviteForm {
        var email: String
        var roles: [Option]
        var clients: [ClientChoice]
        var emailError: String?
        var roleError: String?
        var clientsError: String?
    }

    var page: PageChrome
    var csrf: String
    var members: [Member]
    var invitations: [Invitation]
    var hasInvitations: Bool
    var form: InviteForm
    var link: MadeLink?

    static func member(_ member: TeamMember, names: [Int: String], selfID: Int) -> Member {
        Member(
            id: member.id, name: member.name, email: member.email, role: member.role.rawValue, clients: TeamDirectory.text(member.clientIDs, names),
            lastSignIn: member.lastSignInAt.map(DateText.format) ?? "never", status: member.isActive ? "active" : "deactivated",
            isActive: member.isActive, isSelf: member.id == selfID)
    }

    static func invitation(_ link: UserLink, names: [Int: String], now: Int) -> Invitation {
        let state = link.state(at: now)
        return Invitation(
            id: link.id, email: link.email, role: link.role.rawValue, clients: TeamDirectory.text(link.clientIDs, names), state: state.rawValue,
            expires: DateText.format(link.expiresAt), canResend: state == .pending || state == .expired, canRevoke: state == .pending)
    }

    static func roles(_ actor: TeamActor, selected: Role) -> [Option] {
        actor.grantableRoles.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == selected) }
    }

    static func clients(_ names: [(id: Int, name: String)], checked: [Int]) -> [ClientChoice] {
        names.map { ClientChoice(id: $0.id, name: $0.name, checked: checked.contains($0.id)) }
    }

    /// The clients a form checked (`client_ID` fields).
    static func checkedClients(_ fields: [String: String]) -> [Int] {
        fields.keys.compactMap { $0.hasPrefix("client_") ? Int($0.dropFirst(7)) : nil }.sorted()
    }
}
