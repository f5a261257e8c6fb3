import CSV
import Foundation

/// A CSV file read whole: its header and its records, each with the row number a spreadsheet shows
/// (the header is row 1). Delimiter (`,` `;` or tab) and encoding are detected.
struct CSVTable: Sendable {
    /// One record and its row number.
    struct Record: Sendable {
        var rowNumber: Int
        var fields: [String]
    }

    var header: [String]
    var records: [Record]
    var delimiter: Character
    var encoding: TextDecoding.Encoding

    static func read(_ bytes: [UInt8]) throws(ImportError) -> CSVTable {
        let (text, encoding) = try TextDecoding.decode(bytes)
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ImportError("the file is empty")
        }
        let delimiter = detectDelimiter(text)
        var rows: [[String]] = []
        do {
            let reader = try CSVReader(string: text, hasHeaderRow: false, trimFields: false, delimiter: delimiter.unicodeScalars.first!, whitespaces: [])
            while let row = reader.next() {
                rows.append(row)
            }
            if let error = reader.error {
                throw error
            }
        } catch {
            throw ImportError("the file cannot be read as CSV: \(error)")
        }
        guard let header = rows.first?.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) else {
            throw ImportError("the file is empty")
        }
        let records = rows.dropFirst().enumerated().compactMap { index, fields -> Record? in
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) { return nil }
            return Record(rowNumber: index + 2, fields: fields)
        }
        return CSVTable(header: header, records: records, delimiter: delimiter, encoding: encoding)
    }

    /// The candidate that occurs most often in the first line, outside quotes; `,` on a tie or none.
    static func detectDelimiter(_ text: String) -> Character {
        var counts: [Character: Int] = [",": 0, ";": 0, "\t": 0]
        var inQuotes = false
        for character in text {
            if character == "\"" { inQuotes.toggle() }
            if !inQuotes, character == "\n" || character == "\r\n" || character == "\r" { break }
            if !inQuotes, counts[character] != nil { counts[character, default: 0] += 1 }
        }
        let best = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key != ",") }
        return (best?.value ?? 0) > 0 ? best!.key : ","
    }
}
