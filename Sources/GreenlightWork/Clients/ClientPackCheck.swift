import Foundation
import GreenlightCore

/// The checks a client's settings and context pack pass however they arrive — a `client add` folder
/// or the client form — each naming the field that is wrong in the same words.
public enum ClientPackCheck {
    /// Longest client name.
    public static let maximumNameLength = 100

    public static func check(_ profile: ClientProfile, _ pack: ContextPack) throws(InputError) {
        let name = profile.name.trimmedWhitespace()
        if name.isEmpty { throw InputError(field: "name", "the client's name is empty") }
        if name.count > maximumNameLength {
            throw InputError(field: "name", "the client's name has more than \(maximumNameLength) characters")
        }
        if !profile.sender.email.isEmpty && !EmailAddress.isValid(profile.sender.email) {
            throw InputError(field: "sender_email", "the sender's email \"\(profile.sender.email)\" is not a valid email address")
        }
        if !(0...23).contains(profile.exportHour) {
            throw InputError(field: "export_hour", "the export hour is \(profile.exportHour), expected an hour from 0 to 23")
        }
        if TimeZone(identifier: profile.timezone) == nil {
            throw InputError(field: "timezone", "\"\(profile.timezone)\" is not a known time zone (e.g. Europe/Paris)")
        }
        if pack.personas.isEmpty {
            throw InputError(field: "personas", "the personas name no persona: write one `## job title` heading per persona")
        }
        if pack.painPoints.isEmpty {
            throw InputError(field: "pain_points", "the pain points hold none: write a list (`1. **Title** — text`) or `##` sections")
        }
        for competitor in pack.competitors where competitor.name.trimmedWhitespace().isEmpty {
            throw InputError(field: "competitors", "a competitor has no name")
        }
        for study in pack.caseStudies where study.body.trimmedWhitespace().isEmpty {
            throw InputError(field: "case_studies", "the case study \"\(study.title)\" has no text")
        }
    }
}
