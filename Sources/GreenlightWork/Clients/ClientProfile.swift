import Foundation
import GreenlightEmails
/// A client's settings from client.json: who sends, when exports run, which phase it is in.
public struct ClientProfile: Sendable, Equatable, Codable {
    /// The person whose name signs the emails.
    public struct Sender: Sendable, Equatable, Codable {
        public var name: String
        public var title: String
        public var email: String

        public init(name: String, title: String, email: String) {
            self.name = name
            self.title = title
            self.email = email
        }
    }

    public var name: String
    public var website: String
    public var sender: Sender
    public var timezone: String
    public var exportHour: Int
    public var phase: RolloutPhase

    enum CodingKeys: String, CodingKey {
        case name, website, sender, timezone, phase
        case exportHour = "export_hour"
    }

    public init(name: String, website: String, sender: Sender, timezone: String, exportHour: Int, phase: RolloutPhase = .shadow) {
        self.name = name
        self.website = website
        self.sender = sender
        self.timezone = timezone
        self.exportHour = exportHour
        self.phase = phase
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        website = try container.decodeIfPresent(String.self, forKey: .website) ?? ""
        sender = try container.decodeIfPresent(Sender.self, forKey: .sender) ?? Sender(name: "", title: "", email: "")
        timezone = try container.decodeIfPresent(String.self, forKey: .timezone) ?? "UTC"
        exportHour = try container.decodeIfPresent(Int.self, forKey: .exportHour) ?? 14
        phase = try container.decodeIfPresent(RolloutPhase.self, forKey: .phase) ?? .shadow
    }
}
