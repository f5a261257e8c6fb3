/// A CSV file for a dashboard figure's "download" link: RFC 4180 quoting, CRLF line
/// ends, UTF-8 with a byte-order mark, and text cells defused against spreadsheet formula
/// injection.
///
/// - **Byte-order mark**: Excel reads a CSV without one in the machine's legacy code page, so
///   "Société Générale" arrives garbled; with `EF BB BF` first it reads UTF-8.
/// - **Quoting** (RFC 4180): a cell holding `,`, `"`, CR or LF is wrapped in double quotes and
///   its quotes doubled; other cells are written bare. Every record, the last included, ends in CRLF.
/// - **Formula injection**: company names, rejection details and edited emails come from users
///   and models. A spreadsheet treats a cell starting with `=`, `+`, `-` or `@` as a formula
///   (`=HYPERLINK(…)`, `@SUM(…)`), and tab or carriage return can smuggle one in after the cell's
///   start. Such a ``Cell/text(_:)`` cell gets a leading `'`, which spreadsheets read as "this is
///   text" and hide. This is the OWASP recommendation; the cost is a visible `'` in tools that
///   are not spreadsheets, which we accept for a download meant for spreadsheets.
/// - **Numbers the app writes** (counts, rates, a −5 deduction) go through ``Cell/integer(_:)``
///   or ``Cell/number(_:)`` and are written as plain numbers, never prefixed, so a spreadsheet
///   still sums them. Only text is defused, because only text can carry someone else's input.
///
/// The header row is text and gets the same treatment. Rows are written as given; a ragged row
/// is not padded.
public struct CSVDownload: Sendable, Hashable {
    /// One cell: text from anywhere, or a number the app itself computed.
    public enum Cell: Sendable, Hashable {
        /// Text, quoted as needed and defused if it starts like a formula.
        case text(String)
        /// A whole number, written in decimal digits (`-5`).
        case integer(Int)
        /// A number, written in Swift's shortest round-trip form (`0.95`, `-2.5`); NaN and
        /// infinities are written as an empty cell.
        case number(Double)
    }

    /// The MIME type to send with the file.
    public static let contentType = "text/csv; charset=utf-8"

    /// The characters that make a spreadsheet read a text cell as a formula when it starts with one.
    public static let formulaPrefixes: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// The column names.
    public var header: [String]
    /// The records, one array of cells each.
    public var rows: [[Cell]]

    /// A CSV file from its header row and records.
    public init(header: [String], rows: [[Cell]]) {
        self.header = header
        self.rows = rows
    }

    /// The whole file as text, starting with the byte-order mark U+FEFF.
    public func render() -> String {
        var output = "\u{FEFF}"
        output += Self.record(header.map { .text($0) })
        for row in rows {
            output += Self.record(row)
        }
        return output
    }

    /// The whole file as UTF-8 bytes, starting with `EF BB BF`.
    public func bytes() -> [UInt8] {
        Array(render().utf8)
    }

    /// A `Content-Disposition` value that offers the file for download under `filename`,
    /// keeping only letters, digits, `.`, `-` and `_` (anything else becomes `-`).
    public static func contentDisposition(filename: String) -> String {
        let safe = String(
            filename.map { character -> Character in
                character.isASCII && (character.isLetter || character.isNumber || "._-".contains(character)) ? character : "-"
            })
        return "attachment; filename=\"\(safe.isEmpty ? "download.csv" : safe)\""
    }

    /// One record: the cells joined by commas, ending in CRLF.
    static func record(_ cells: [Cell]) -> String {
        cells.map(field).joined(separator: ",") + "\r\n"
    }

    /// One cell as it appears in the file.
    static func field(_ cell: Cell) -> String {
        switch cell {
        case .integer(let value):
            return String(value)
        case .number(let value):
            return value.isFinite ? String(value) : ""
        case .text(let text):
            let value = text.unicodeScalars.first.map(formulaPrefixes.contains) == true ? "'" + text : text
            let needsQuotes = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
            guard needsQuotes else { return value }
            var quoted = "\""
            for scalar in value.unicodeScalars {
                if scalar == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(scalar) }
            }
            return quoted + "\""
        }
    }
}
