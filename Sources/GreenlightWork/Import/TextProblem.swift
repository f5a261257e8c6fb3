import Foundation

/// Why a CSV's bytes could not be turned into text. ``CSVRecordReader`` turns it into an
/// ``ImportError`` that names the row it was reading.
enum TextProblem: Error, Equatable {
    /// Bytes that are not valid in the file's encoding; `detail` says which.
    case invalid(TextEncoding, detail: String)
    /// The file ends in the middle of a character.
    case truncated(TextEncoding)
    /// A NUL character: no text export holds one, so the file is binary (a spreadsheet, an archive, an image).
    case nul
    /// The file could not be read at all.
    case unreadable(ImportError)
}
