import Foundation
import GreenlightCore

/// The rules a login's email, name and password follow wherever they are typed — `greenlight user
/// add`, an invitation, the page that sets a password, a user's own password change — so each
/// mistake gets the same message everywhere.
public enum Credentials {
    /// Shortest password accepted.
    public static let minimumPasswordLength = 8
    /// bcrypt reads only this many bytes: a longer password would be checked on its first 72 alone.
    public static let maximumPasswordBytes = 72
    /// Longest display name.
    public static let maximumNameLength = 100

    /// The address, normalized, or what is wrong with it.
    public static func email(_ text: String) throws(InputError) -> String {
        let email = EmailAddress.normalize(text)
        guard !email.isEmpty else { throw InputError(field: "email", "enter the person's email address") }
        guard EmailAddress.isValid(email) else { throw InputError(field: "email", "\"\(email)\" is not a valid email address") }
        return email
    }

    /// Checks a new password.
    public static func password(_ text: String) throws(InputError) {
        guard text.count >= minimumPasswordLength else {
            throw InputError(field: "password", "the password must have at least \(minimumPasswordLength) characters")
        }
        guard text.utf8.count <= maximumPasswordBytes else {
            throw InputError(field: "password", "the password must have at most \(maximumPasswordBytes) bytes (bcrypt ignores the rest)")
        }
    }

    /// Checks a new password typed twice.
    public static func password(_ text: String, confirmation: String) throws(InputError) {
        try password(text)
        guard text == confirmation else { throw InputError(field: "confirmation", "the two passwords differ: type the same one twice") }
    }

    /// The display name: as typed (trimmed), or made from the email when empty.
    public static func name(_ text: String?, email: String) throws(InputError) -> String {
        let name = (text ?? "").trimmedWhitespace()
        guard name.count <= maximumNameLength else {
            throw InputError(field: "name", "the name must have at most \(maximumNameLength) characters")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw InputError(field: "name", "the name must not contain control characters")
        }
        return name.isEmpty ? defaultName(for: email) : name
    }

    /// "jane.doe@x.example" → "Jane Doe".
    static func defaultName(for email: String) -> String {
        email.split(separator: "@").first.map { local in
            local.split(whereSeparator: { ".-_".contains($0) }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        } ?? email
    }
}
