import Foundation
/// What the drafter knows about one contact: its CSV fields and extra columns.
public struct ContactProfile: Sendable, Equatable {
    public var id: Int
    public var firstName: String
    public var lastName: String
    public var email: String
    public var companyName: String
    public var website: String
    public var linkedinURL: String
    public var industry: String
    public var extra: [String: String]

    public init(
        id: Int, firstName: String, lastName: String, email: String, companyName: String, website: String, linkedinURL: String, industry: String,
        extra: [String: String]
    ) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.companyName = companyName
        self.website = website
        self.linkedinURL = linkedinURL
        self.industry = industry
        self.extra = extra
    }

    /// The contact's job title, from an extra column such as `job_title`, `title` or `position`.
    public var jobTitle: String {
        for (key, value) in extra
        where ["job_title", "title", "position", "role", "jobtitle", "poste", "fonction"].contains(ContactColumns.normalize(key)) {
            return value
        }
        return ""
    }

    /// The contact's own fields by template variable name; empty fields are absent.
    public var fieldValues: [String: String] {
        let all = [
            "first_name": firstName, "last_name": lastName, "email": email, "company_name": companyName,
            "website": website, "linkedin_url": linkedinURL, "industry": industry,
        ]
        return all.filter { !$0.value.isEmpty }
    }
}
