import Foundation
import GreenlightCore
import GreenlightWork
import GreenlightEmails

/// The client form (new and edit): the settings and the context pack's parts as Markdown, read back
/// into a profile and a pack that ``ClientPackCheck`` checks as it checks a `client add` folder; a
/// preview of how each part reads and which template variables it feeds.
struct ClientForm {
    /// How the pack reads once parsed, part by part, and what it feeds.
    struct Preview {
        struct Part {
            var name: String
            var feeds: String
            var items: [String]
            var empty: Bool
        }

        var parts: [Part]
    }

    var page: PageChrome
    var csrf: String
    var action: String
    var isNew: Bool
    var clientID: Int?
    var name: String
    var website: String
    var senderName: String
    var senderTitle: String
    var senderEmail: String
    var exportHour: String
    var timezones: [ExportSettingsForm.Zone]
    var pci: String
    var personas: String
    var painPoints: String
    var competitors: String
    var caseStudies: String
    var error: String?
    var nameError: String?
    var senderEmailError: String?
    var exportHourError: String?
    var timezoneError: String?
    var personasError: String?
    var painPointsError: String?
    var competitorsError: String?
    var caseStudiesError: String?
    var preview: Preview?
    /// What was wrong with an uploaded pack.
    var uploadError: String?

    /// The fields a form posts, as typed.
    struct Fields {
        var values: [String: String]

        subscript(_ name: String) -> String { values[name] ?? "" }

        /// The fields of a stored client (or the blank form's).
        init(_ client: ClientRecord?) {
            guard let client else {
                values = ["timezone": "UTC", "export_hour": "14"]
                return
            }
            values = [
                "name": client.name, "website": client.website, "sender_name": client.senderName, "sender_title": client.senderTitle,
                "sender_email": client.senderEmail, "timezone": client.timezone, "export_hour": String(client.exportHour), "pci": client.pack.pci,
                "personas": client.pack.personasMarkdown, "pain_points": client.pack.painPointsMarkdown,
                "competitors": ClientPackText.markdown(of: client.pack.competitors),
                "case_studies": ClientPackText.markdown(of: client.pack.caseStudies),
            ]
        }

        init(posted: [String: String]) {
            values = posted
        }

        /// The profile and pack these fields describe (unchecked; the export hour must be a number).
        func read(keeping existing: ClientRecord?) throws(InputError) -> (ClientProfile, ContextPack) {
            let hourText = self["export_hour"].trimmedWhitespace()
            guard let hour = Int(hourText) else {
                throw InputError(field: "export_hour", "the export hour must be a whole number from 0 to 23, got \"\(hourText)\"")
            }
            let profile = ClientProfile(
                name: self["name"].trimmedWhitespace(), website: self["website"].trimmedWhitespace(),
                sender: .init(
                    name: self["sender_name"].trimmedWhitespace(), title: self["sender_title"].trimmedWhitespace(),
                    email: self["sender_email"].trimmedWhitespace()),
                timezone: self["timezone"].trimmedWhitespace(), exportHour: hour, phase: existing?.phase ?? .shadow)
            let pack = ContextPack(
                pci: Self.text(self["pci"]), personasMarkdown: Self.text(self["personas"]), painPointsMarkdown: Self.text(self["pain_points"]),
                competitors: ClientPackText.competitors(from: self["competitors"]),
                caseStudies: ClientPackText.caseStudies(from: self["case_studies"], keeping: existing?.pack.caseStudies ?? []))
            return (profile, pack)
        }

        /// A textarea's text with the browser's line endings (CRLF) made plain.
        static func text(_ value: String) -> String {
            value.replacingOccurrences(of: "\r\n", with: "\n")
        }
    }

    init(page: PageChrome, csrf: String, client: ClientRecord?, fields: Fields, error: InputError?, uploadError: String? = nil, preview: Preview?) {
        self.uploadError = uploadError
        self.page = page
        self.csrf = csrf
        isNew = client == nil
        clientID = client?.id
        action = client.map { "/clients/\($0.id)/edit" } ?? "/clients"
        name = fields["name"]
        website = fields["website"]
        senderName = fields["sender_name"]
        senderTitle = fields["sender_title"]
        senderEmail = fields["sender_email"]
        exportHour = fields["export_hour"]
        let zone = fields["timezone"]
        let names = ExportSettingsForm.zoneNames.contains(zone) || zone.isEmpty ? ExportSettingsForm.zoneNames : [zone] + ExportSettingsForm.zoneNames
        timezones = names.map { ExportSettingsForm.Zone(name: $0, selected: $0 == zone) }
        pci = fields["pci"]
        personas = fields["personas"]
        painPoints = fields["pain_points"]
        competitors = fields["competitors"]
        caseStudies = fields["case_studies"]
        let known = ["name", "sender_email", "export_hour", "timezone", "personas", "pain_points", "competitors", "case_studies"]
        func message(_ field: String) -> String? { error?.field == field ? error?.message : nil }
        self.error = error.flatMap { known.contains($0.field) ? nil : $0.message }
        nameError = message("name")
        senderEmailError = message("sender_email")
        exportHourError = message("export_hour")
        timezoneError = message("timezone")
        personasError = message("personas")
        painPointsError = message("pain_points")
        competitorsError = message("competitors")
        caseStudiesError = message("case_studies")
        self.preview = preview
    }

    /// How a pack reads, part by part.
    static func preview(_ pack: ContextPack) -> Preview {
        func part(_ name: String, _ feeds: String, _ items: [String]) -> Preview.Part {
            Preview.Part(name: name, feeds: feeds, items: items, empty: items.isEmpty)
        }
        let pci = pack.pci.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count
        return Preview(parts: [
            part(
                "Ideal customer profile", "{{product_category}}, {{specific_target_1}}, {{specific_target_2}}, {{system_1}}–{{system_3}}",
                pci == 0 ? [] : ["\(pci) line\(pci == 1 ? "" : "s") of text"]),
            part("Personas", "{{target_persona}}", pack.personas.map(\.title)),
            part("Pain points", "{{solve_specific_pain}}", pack.painPoints.map(\.title)),
            part("Competitors", "{{competitor_name}}", pack.competitors.map(\.name)),
            part("Case studies", "{{case_study_insight}}", pack.caseStudies.map(\.title)),
        ])
    }
}
