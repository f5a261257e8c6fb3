/// Text and numbers written into SVG: XML escaping for everything a user or a model may have
/// written, identifiers safe in `id` attributes, and fixed-point numbers that never depend on the
/// machine's locale (so the same figures always render the same bytes).
enum SVGText {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities — safe as element content and
    /// inside a double- or single-quoted attribute. Control characters XML 1.0 forbids are dropped.
    static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            case "\t", "\n", "\r": output.unicodeScalars.append(" ")
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// `id` reduced to ASCII letters, digits, `-` and `_`, starting with a letter.
    static func identifier(_ id: String) -> String {
        let kept = String(
            id.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }.map(
                Character.init))
        guard let first = kept.unicodeScalars.first, first.properties.isAlphabetic else { return "chart-" + kept }
        return kept
    }

    /// `value` rounded half away from zero to `decimals` places, with a `.` separator and no
    /// grouping ("-0.5", "12", "95.0"); non-finite values read "0".
    static func fixed(_ value: Double, decimals: Int = 1) -> String {
        guard value.isFinite else { return "0" }
        let places = max(decimals, 0)
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 1e15 else { return (value < 0 ? "-" : "") + String(Int(abs(value).rounded())) }
        let magnitude = Int(scaled)
        var digits = String(magnitude)
        if places > 0 {
            if digits.count <= places {
                digits = String(repeating: "0", count: places - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -places))
        }
        return (value < 0 && magnitude != 0 ? "-" : "") + digits
    }

    /// `text` cut to `limit` characters, with "…" standing for the rest.
    static func truncated(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(max(limit - 1, 0))) + "…"
    }
}
