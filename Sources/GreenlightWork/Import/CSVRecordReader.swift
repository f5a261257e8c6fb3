import CSV
import Foundation

/// Reads a CSV from an ``ImportSource`` one record at a time, so memory does not grow with the file.
///
/// The encoding is found from the first bytes (``TextEncoding``), the delimiter (`,` `;` or tab) from the
/// header line (``DelimiterDetection``); the records are parsed by CSV.swift's `CSVReader`, reading
/// checked UTF-8 from a ``CSVTextStream``. Quoting follows RFC 4180: a field that starts with `"` may hold
/// delimiters, line breaks and `""`; text after its closing quote is refused with the row. Lines end in
/// CR, LF or CRLF. Each record carries the row number a spreadsheet shows (the header is row 1; a quoted
/// line break does not start a row). Blank records are passed over but counted, as a spreadsheet counts
/// them.
///
/// Owned by one reader: not thread-safe.
final class CSVRecordReader {
    /// One record and its row number.
    struct Record: Sendable {
        var rowNumber: Int
        var fields: [String]
    }

    /// The longest record accepted. A longer one is almost always a quote that is never closed, which
    /// would otherwise swallow the rest of the file into one field.
    static let maxRecordBytes = 1 << 20

    /// The header's fields, trimmed.
    private(set) var header: [String] = []
    /// The delimiter found in the header line.
    let delimiter: UInt8
    /// The delimiter as a report shows it: `,` `;` or `tab`.
    var delimiterName: String { delimiter == UInt8(ascii: "\t") ? "tab" : String(UnicodeScalar(delimiter)) }
    /// The encoding found from the file's first bytes.
    let encoding: TextEncoding

    private let stream: CSVTextStream
    private let csv: CSVReader
    /// The row number of the record last read.
    private var rowNumber = 0

    /// Opens `source`, decides its encoding and delimiter, and reads the header.
    /// Throws if the file cannot be read, is empty, or its header line is blank.
    /// - Parameter chunkSize: how many bytes to read at a time (tests make it tiny).
    init(_ source: ImportSource, chunkSize: Int = ByteChunks.defaultChunkSize) throws(ImportError) {
        let text = try UTF8Transcoder(ByteChunks(source, chunkSize: chunkSize))
        encoding = text.encoding
        stream = CSVTextStream(text)
        delimiter = try DelimiterDetection.detect(in: stream)
        stream.use(delimiter: delimiter)
        do {
            csv = try CSVReader(
                stream: stream, codecType: UTF8.self, hasHeaderRow: false, trimFields: false,
                delimiter: UnicodeScalar(delimiter), whitespaces: [])
        } catch {
            throw Self.describe(stream.problem, or: error, row: 1)
        }
        guard let first = try readRecord() else { throw ImportError("the file is empty") }
        header = first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        if header.allSatisfy(\.isEmpty) {
            if try next() == nil { throw ImportError("the file is empty") }
            throw ImportError("row 1, the header, is blank: the first line must name the columns (email, company_name, …)")
        }
    }

    /// The next record that is not blank, or `nil` at the end of the file.
    func next() throws(ImportError) -> Record? {
        while let fields = try readRecord() {
            if fields.allSatisfy(\.isBlank) { continue }
            return Record(rowNumber: rowNumber, fields: fields)
        }
        return nil
    }

    /// The fields of the next record, blank or not, or `nil` at the end of the file.
    private func readRecord() throws(ImportError) -> [String]? {
        rowNumber += 1
        let fields = csv.next()
        if let error = csv.error {
            throw Self.describe(stream.problem, or: error, row: rowNumber)
        }
        return fields
    }

    /// The error to report for what stopped the stream, or for an error of CSV.swift's own.
    private static func describe(_ problem: CSVTextStream.Problem?, or error: any Error, row: Int) -> ImportError {
        switch problem {
        case nil:
            ImportError("row \(row) could not be read: \(error)")
        case .text(.nul, _):
            ImportError("the file is not CSV text (it holds binary data — an .xlsx, zip or image?): export it as CSV and try again")
        case .text(.unreadable(let error), _):
            error
        case .text(.invalid(.utf8, let detail), let row):
            ImportError(
                "row \(row) is not valid UTF-8 (\(detail)), though the file starts as UTF-8: save it again as UTF-8 (in Excel, \"CSV UTF-8\") and import it again"
            )
        case .text(.invalid(let encoding, let detail), let row):
            ImportError("row \(row) is not valid \(encoding.reportName) (\(detail))")
        case .text(.truncated(let encoding), let row):
            ImportError("the file ends in the middle of a \(encoding.reportName) character (row \(row)): was it cut short?")
        case .shape(.recordTooLong(let row)):
            ImportError("row \(row) is longer than 1 MB: is a quote (\") opened and never closed?")
        case .shape(.unclosedQuote(let row)):
            ImportError("row \(row) has a quote (\") that is never closed: the file ends inside it")
        case .shape(.textAfterClosingQuote(let row)):
            ImportError(
                "row \(row) has text after a closing quote (as in \"Acme\" Inc): quote the whole field (\"Acme Inc\"), and write a quote inside a quoted field as \"\""
            )
        }
    }
}
