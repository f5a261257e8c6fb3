import Foundation
/// Finding and filling `{{variable}}` placeholders.
public enum TemplateText {
    /// The names inside `{{ … }}`, in order, repeated as often as they appear.
    public static func variableNames(in text: String) -> [String] {
        placeholders(in: text).map(\.name)
    }

    /// Replaces every placeholder whose name `values` has; others stay as written.
    public static func fill(_ text: String, with values: [String: String]) -> String {
        var result = ""
        var cursor = text.startIndex
        for placeholder in placeholders(in: text) {
            result += text[cursor..<placeholder.range.lowerBound]
            result += values[placeholder.name] ?? String(text[placeholder.range])
            cursor = placeholder.range.upperBound
        }
        result += text[cursor...]
        return result
    }

    /// The first `{{` that has no matching `}}`, if any.
    static func hasUnclosedPlaceholder(_ text: String) -> Bool {
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) else { return true }
            rest = rest[close.upperBound...]
        }
        return false
    }

    /// Every `{{…}}` that is not a variable name (`{{company-name}}`, `{{ company name }}`, `{{}}`) and
    /// every `{{` or `}}` without its partner, as written, in order: text no filling will replace, that
    /// a prospect would receive as is.
    public static func malformed(in text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while true {
            let open = rest.range(of: "{{")
            if let close = rest.range(of: "}}"), open.map({ close.lowerBound < $0.lowerBound }) ?? true {
                found.append("}}")
                rest = rest[close.upperBound...]
                continue
            }
            guard let open else { break }
            guard let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) else {
                found.append("{{")
                break
            }
            if !isName(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)) {
                found.append(String(rest[open.lowerBound..<close.upperBound]))
            }
            rest = rest[close.upperBound...]
        }
        return found
    }

    /// A variable's name: letters, digits and `_`, at least one.
    static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    struct Placeholder {
        var name: String
        var range: Range<String.Index>
    }

    static func placeholders(in text: String) -> [Placeholder] {
        var found: [Placeholder] = []
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) {
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if isName(name) {
                found.append(Placeholder(name: name, range: open.lowerBound..<close.upperBound))
            }
            rest = rest[close.upperBound...]
        }
        return found
    }
}
