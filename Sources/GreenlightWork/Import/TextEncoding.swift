import Foundation

/// The encodings a contact CSV arrives in, and how to tell them apart from the file's first bytes:
/// a byte-order mark (UTF-8, UTF-16 little or big endian), else UTF-8 if the first
/// ``sniffLength`` bytes are valid UTF-8, else Windows-1252 — what Excel writes for "CSV" on
/// Western European systems.
enum TextEncoding: Sendable, Equatable {
    case utf8
    case utf16LittleEndian
    case utf16BigEndian
    case windows1252

    /// How many bytes from the start of the file decide between UTF-8 and Windows-1252.
    static let sniffLength = 64 * 1024

    /// The name the import report shows.
    var reportName: String {
        switch self {
        case .utf8: "UTF-8"
        case .utf16LittleEndian, .utf16BigEndian: "UTF-16"
        case .windows1252: "Windows-1252"
        }
    }

    /// Decides the encoding from the file's first bytes.
    ///
    /// - Parameters:
    ///   - prefix: the first bytes of the file: ``sniffLength`` of them, or the whole file if it is shorter.
    ///   - isWholeFile: whether `prefix` is the whole file. If it is not, a multibyte UTF-8 sequence cut
    ///     by its end is not held against UTF-8.
    /// - Returns: the encoding and the length of the byte-order mark to skip.
    static func detect(_ prefix: [UInt8], isWholeFile: Bool) -> (encoding: TextEncoding, bomLength: Int) {
        if prefix.starts(with: [0xFF, 0xFE]) { return (.utf16LittleEndian, 2) }
        if prefix.starts(with: [0xFE, 0xFF]) { return (.utf16BigEndian, 2) }
        let bomLength = prefix.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        switch UTF8Validation.scan(prefix, from: bomLength) {
        case .valid:
            return (.utf8, bomLength)
        case .incomplete where !isWholeFile:
            return (.utf8, bomLength)
        case .incomplete, .invalid:
            return (.windows1252, 0)
        }
    }
}
