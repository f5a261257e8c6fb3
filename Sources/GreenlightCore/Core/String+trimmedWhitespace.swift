import Foundation

extension String {
    /// The string without leading and trailing whitespace and line breaks: the same result as
    /// `trimmingCharacters(in: .whitespacesAndNewlines)`, without Foundation's detour through NSString
    /// when there is nothing to trim, as for almost every field of a CSV.
    package func trimmedWhitespace() -> String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        if !first.isImportWhitespace && !last.isImportWhitespace { return self }
        return trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether the string is empty or holds only whitespace and line breaks.
    package var isBlank: Bool {
        unicodeScalars.allSatisfy(\.isImportWhitespace)
    }
}

extension Unicode.Scalar {
    /// Whether this is in `CharacterSet.whitespacesAndNewlines`: Unicode's White_Space property (space
    /// separators, tab, U+000A–U+000D, U+0085, U+2028, U+2029) plus U+200B, the zero-width space, which
    /// Foundation counts too (checked over every code point by a test).
    @inline(__always)
    var isImportWhitespace: Bool {
        value < 0x80 ? value == 0x20 || (0x09...0x0D).contains(value) : properties.isWhitespace || value == 0x200B
    }
}
