import Foundation

/// Finds a CSV's delimiter from its header line: `,` `;` or tab, whichever occurs most often outside
/// quotes; `,` on a tie or when there is none (then `;`, then tab).
///
/// Not a CSV parser: it reads ahead to the first line end outside quotes and counts characters.
enum DelimiterDetection {
    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// The delimiter of the text `stream` holds, read ahead (not consumed) as far as the first line end.
    /// Throws if the first line is longer than ``CSVRecordReader/maxRecordBytes``.
    static func detect(in stream: CSVTextStream) throws(ImportError) -> UInt8 {
        var scanned = 0
        var inQuotes = false
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0]
        lineSearch: while true {
            let text = stream.readAheadText
            while scanned < text.count {
                let byte = text[text.startIndex + scanned]
                if byte == quote {
                    inQuotes.toggle()
                } else if !inQuotes, byte == lineFeed || byte == carriageReturn {
                    break lineSearch
                } else if !inQuotes, let count = counts[byte] {
                    counts[byte] = count + 1
                }
                scanned += 1
            }
            if scanned > CSVRecordReader.maxRecordBytes {
                throw ImportError("the first line is longer than 1 MB: this is not a CSV header (or a quote in it is never closed)")
            }
            if !stream.readAhead() { break }
        }
        var best = UInt8(ascii: ",")
        for candidate in [UInt8(ascii: ";"), UInt8(ascii: "\t")] where counts[candidate, default: 0] > counts[best, default: 0] {
            best = candidate
        }
        return best
    }
}
