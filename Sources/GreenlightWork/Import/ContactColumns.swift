import Foundation

/// Matches a CSV header to contact fields loosely: case, spaces, dashes and common aliases.
struct ContactColumns: Sendable {
    /// The contact fields Greenlight knows.
    enum Field: String, CaseIterable, Sendable {
        case firstName = "first_name", lastName = "last_name", email, companyName = "company_name"
        case website, linkedinURL = "linkedin_url", industry

        var aliases: [String] {
            switch self {
            case .firstName: ["firstname", "first", "given_name", "givenname", "prenom", "forename"]
            case .lastName: ["lastname", "last", "surname", "family_name", "familyname", "nom"]
            case .email: ["email_address", "emailaddress", "e_mail", "mail", "work_email", "business_email"]
            case .companyName: ["company", "companyname", "organization", "organisation", "account", "account_name", "societe", "entreprise"]
            case .website: ["site", "url", "domain", "company_website", "company_url", "web", "website_url"]
            case .linkedinURL: ["linkedin", "linkedin_profile", "linkedinurl", "person_linkedin_url", "linkedin_profile_url"]
            case .industry: ["sector", "secteur", "vertical", "industrie"]
            }
        }
    }

    /// Field → column index.
    let index: [Field: Int]
    /// Columns that match no field, kept as the contact's extra data: (header, column index).
    let extras: [(name: String, column: Int)]

    init(header: [String]) throws(ImportError) {
        var index: [Field: Int] = [:]
        var extras: [(String, Int)] = []
        for (column, name) in header.enumerated() {
            let key = Self.normalize(name)
            if let field = Field.allCases.first(where: { $0.rawValue == key || $0.aliases.contains(key) }), index[field] == nil {
                index[field] = column
            } else if !name.isEmpty {
                extras.append((name, column))
            }
        }
        let missing = [Field.email, .companyName].filter { index[$0] == nil }
        if !missing.isEmpty {
            throw ImportError(
                "the header has no \(missing.map(\.rawValue).joined(separator: " and ")) column (header read: \(header.map { "\"\($0)\"" }.joined(separator: ", ")))"
            )
        }
        self.index = index
        self.extras = extras
    }

    /// "First Name" → "first_name", "E-mail" → "e_mail", "Prénom" → "prenom".
    static func normalize(_ name: String) -> String {
        let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        var result = ""
        for character in folded {
            if character.isLetter || character.isNumber {
                result.append(character)
            } else if !result.isEmpty, result.last != "_" {
                result.append("_")
            }
        }
        while result.last == "_" { result.removeLast() }
        return result
    }
}
