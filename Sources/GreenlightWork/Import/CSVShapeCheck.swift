import Foundation

/// Checks that a CSV's quoting is well formed as its bytes go by, and counts its rows, so that what
/// CSV.swift cannot report becomes an error that names the row.
///
/// CSV.swift parses the records; this only watches three things it passes over silently. Text after a
/// closing quote (`"Acme" Inc`): CSV.swift keeps the quote, drops the next character and reads on as if
/// the field were still quoted, merging the following lines into it. A record over
/// ``CSVRecordReader/maxRecordBytes``: almost always a quote opened and never closed. A file that ends
/// inside quotes. It builds no fields. Rows count as CSV.swift's records do: a line end outside quotes
/// (CR, LF or CRLF) ends one; the header is row 1.
struct CSVShapeCheck {
    /// What is wrong with the file's shape, and in which row.
    enum Problem: Equatable {
        /// A character other than a delimiter, a line end or a second quote follows a closing quote.
        case textAfterClosingQuote(row: Int)
        /// A record is longer than ``CSVRecordReader/maxRecordBytes``.
        case recordTooLong(row: Int)
        /// The file ends inside a quoted field opened in `row`.
        case unclosedQuote(row: Int)
    }

    private enum State {
        case fieldStart, unquoted, quoted, afterQuote
    }

    let delimiter: UInt8
    /// The row the next byte belongs to.
    private(set) var row = 1
    /// The first problem found; no byte is accepted after it.
    private(set) var problem: Problem?
    private var state = State.fieldStart
    /// The last record ended with CR: an LF right after it belongs to the same line end.
    private var afterCarriageReturn = false
    private var recordBytes = 0

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    init(delimiter: UInt8) {
        self.delimiter = delimiter
    }

    /// Checks `bytes`, which follow those checked before, and returns how many of them are well formed:
    /// all of them, or those before the first problem (then ``problem`` says what it is).
    mutating func accept(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard problem == nil else { return 0 }
        for (index, byte) in bytes.enumerated() {
            if afterCarriageReturn {
                afterCarriageReturn = false
                if byte == Self.lineFeed { continue }
            }
            recordBytes += 1
            if recordBytes > CSVRecordReader.maxRecordBytes {
                problem = .recordTooLong(row: row)
                return index
            }
            switch state {
            case .quoted:
                if byte == Self.quote { state = .afterQuote }
            case .afterQuote where byte == Self.quote:
                state = .quoted
            case .fieldStart where byte == Self.quote:
                state = .quoted
            case .fieldStart, .unquoted, .afterQuote:
                if byte == delimiter {
                    state = .fieldStart
                } else if byte == Self.lineFeed || byte == Self.carriageReturn {
                    afterCarriageReturn = byte == Self.carriageReturn
                    row += 1
                    recordBytes = 0
                    state = .fieldStart
                } else if state == .afterQuote {
                    problem = .textAfterClosingQuote(row: row)
                    return index
                } else {
                    state = .unquoted
                }
            }
        }
        return bytes.count
    }

    /// Called at the end of the file: a problem if it ends inside quotes.
    mutating func finish() -> Problem? {
        if problem == nil, state == .quoted { problem = .unclosedQuote(row: row) }
        return problem
    }
}
