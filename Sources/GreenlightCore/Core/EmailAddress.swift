import Foundation
/// Email addresses as Greenlight compares them: trimmed, lower-cased, and plausibly deliverable.
public enum EmailAddress {
    /// Trimmed and lower-cased: the form in which two addresses are the same contact.
    public static func normalize(_ text: String) -> String {
        text.trimmedWhitespace().lowercased()
    }

    private static let localAllowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+/=?^_`{|}~-")

    /// One `@`, a local part without spaces, a domain of dot-separated labels ending in letters.
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last,
            !local.isEmpty, local.count <= 64, domain.count <= 253,
            !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..")
        else { return false }
        guard local.lowercased().allSatisfy({ localAllowed.contains($0) }) else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let top = labels.last, top.count >= 2, top.allSatisfy(\.isLetter) else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        }
    }
}
