import Foundation

/// What identifies a company across contacts: its website's host without `www.`, else its name,
/// lower-cased. The website reader keys its pages by it; the model's agent cache its answers.
public enum CompanyKey {
    public static func of(website: String, companyName: String) -> String {
        let address = website.contains("://") ? website : "https://" + website
        if !website.trimmingCharacters(in: .whitespaces).isEmpty, let host = URL(string: address)?.host?.lowercased(), !host.isEmpty {
            return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
        }
        return "name:" + companyName.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
