import Foundation

/// Reads a CSV from an ``ImportSource`` one record at a time, so memory does not grow with the file.
///
/// The encoding is found from the first bytes (``TextEncoding``), the delimiter (`,` `;` or tab) from the
/// header line. Quoting follows RFC 4180, leniently: a field that starts with `"` may hold delimiters,
/// line breaks and `""`; text after its closing quote is kept. Lines end in CR, LF or CRLF. Each record
/// carries the row number a spreadsheet shows (the header is row 1; a quoted line break does not start a
/// row). Blank records are passed over but counted, as a spreadsheet counts them.
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
    private(set) var delimiter = UInt8(ascii: ",")
    /// The delimiter as a report shows it: `,` `;` or `tab`.
    var delimiterName: String { delimiter == UInt8(ascii: "\t") ? "tab" : String(UnicodeScalar(delimiter)) }
    /// The encoding found from the file's first bytes.
    var encoding: TextEncoding { text.encoding }

    private let text: UTF8Transcoder
    private var buffer: [UInt8] = []
    private var index = 0
    private var textIsDone = false
    /// The row number of the record being read.
    private var rowNumber = 0
    /// A record ended with CR: an LF right after it belongs to the same line end.
    private var skipLineFeed = false
    private var field: [UInt8] = []
    private var recordBytes = 0

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// Opens `source`, decides its encoding and delimiter, and reads the header.
    /// Throws if the file cannot be read, is empty, or its header line is blank.
    /// - Parameter chunkSize: how many bytes to read at a time (tests make it tiny).
    init(_ source: ImportSource, chunkSize: Int = ByteChunks.defaultChunkSize) throws(ImportError) {
        text = try UTF8Transcoder(ByteChunks(source, chunkSize: chunkSize))
        rowNumber = 1
        delimiter = try detectDelimiter()
        rowNumber = 0
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

    // MARK: - The header line

    /// Buffers the first line and counts the candidates in it, outside quotes: the most frequent wins,
    /// `,` on a tie or when there is none (then `;`, then tab).
    private func detectDelimiter() throws(ImportError) -> UInt8 {
        var scanned = 0
        var inQuotes = false
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0]
        lineSearch: while true {
            while scanned < buffer.count {
                let byte = buffer[scanned]
                if byte == Self.quote {
                    inQuotes.toggle()
                } else if !inQuotes, byte == Self.lineFeed || byte == Self.carriageReturn {
                    break lineSearch
                } else if !inQuotes, let count = counts[byte] {
                    counts[byte] = count + 1
                }
                scanned += 1
            }
            if buffer.count > Self.maxRecordBytes {
                throw ImportError("the first line is longer than 1 MB: this is not a CSV header (or a quote in it is never closed)")
            }
            guard let more = try pull() else {
                textIsDone = true
                break
            }
            buffer += more
        }
        var best = UInt8(ascii: ",")
        for candidate in [UInt8(ascii: ";"), UInt8(ascii: "\t")] where counts[candidate, default: 0] > counts[best, default: 0] {
            best = candidate
        }
        return best
    }

    // MARK: - Records

    /// The fields of the next record, blank or not, or `nil` at the end of the file.
    private func readRecord() throws(ImportError) -> [String]? {
        rowNumber += 1
        recordBytes = 0
        var current = try nextByte()
        if skipLineFeed {
            skipLineFeed = false
            if current == Self.lineFeed { current = try nextByte() }
        }
        guard current != nil else { return nil }
        var fields: [String] = []
        while true {
            field.removeAll(keepingCapacity: true)
            let endOfRecord: Bool
            if let byte = current {
                endOfRecord = byte == Self.quote ? try readQuotedField() : try readPlainField(from: byte)
            } else {
                endOfRecord = true
            }
            fields.append(field.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) })
            if endOfRecord { return fields }
            current = try nextByte()
        }
    }

    /// Reads an unquoted field (or the rest of one) starting at `first`; returns whether the record ended.
    private func readPlainField(from first: UInt8?) throws(ImportError) -> Bool {
        var next = first
        while let byte = next {
            if byte == delimiter { return false }
            if byte == Self.lineFeed { return true }
            if byte == Self.carriageReturn {
                skipLineFeed = true
                return true
            }
            try append(byte)
            next = try nextByte()
        }
        return true
    }

    /// Reads a quoted field after its opening quote; returns whether the record ended.
    private func readQuotedField() throws(ImportError) -> Bool {
        while let byte = try nextByte() {
            guard byte == Self.quote else {
                try append(byte)
                continue
            }
            let after = try nextByte()
            switch after {
            case nil, Self.lineFeed:
                return true
            case Self.carriageReturn:
                skipLineFeed = true
                return true
            case delimiter:
                return false
            case Self.quote:
                try append(Self.quote)
            default:
                return try readPlainField(from: after)
            }
        }
        return true
    }

    private func append(_ byte: UInt8) throws(ImportError) {
        recordBytes += 1
        if recordBytes > Self.maxRecordBytes {
            throw ImportError("row \(rowNumber) is longer than 1 MB: is a quote (\") opened and never closed?")
        }
        field.append(byte)
    }

    // MARK: - Bytes

    @inline(__always)
    private func nextByte() throws(ImportError) -> UInt8? {
        if index < buffer.count {
            defer { index += 1 }
            return buffer[index]
        }
        return try refillAndNext()
    }

    private func refillAndNext() throws(ImportError) -> UInt8? {
        while !textIsDone {
            guard let chunk = try pull() else {
                textIsDone = true
                break
            }
            buffer = chunk
            index = 1
            return chunk[0]
        }
        return nil
    }

    /// The next piece of text, with a text problem turned into an error that names the row being read.
    private func pull() throws(ImportError) -> [UInt8]? {
        do {
            return try text.next()
        } catch {
            throw describe(error)
        }
    }

    private func describe(_ problem: TextProblem) -> ImportError {
        switch problem {
        case .nul:
            ImportError("the file is not CSV text (it holds binary data — an .xlsx, zip or image?): export it as CSV and try again")
        case .unreadable(let error):
            error
        case .invalid(.utf8, let detail):
            ImportError("row \(rowNumber) is not valid UTF-8 (\(detail)), though the file starts as UTF-8: save it again as UTF-8 (in Excel, \"CSV UTF-8\") and import it again")
        case .invalid(let encoding, let detail):
            ImportError("row \(rowNumber) is not valid \(encoding.reportName) (\(detail))")
        case .truncated(let encoding):
            ImportError("the file ends in the middle of a \(encoding.reportName) character (row \(rowNumber)): was it cut short?")
        }
    }
}
