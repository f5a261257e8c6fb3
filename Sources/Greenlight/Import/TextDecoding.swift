import Foundation

/// Turns an uploaded file's bytes into text: UTF-8 (with or without BOM), UTF-16 with a BOM,
/// else Windows-1252 — the encoding Excel uses for "CSV" on Western European systems.
enum TextDecoding {
    /// Which encoding was detected, for the import report.
    enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case utf16 = "UTF-16"
        case windows1252 = "Windows-1252"
    }

    static func decode(_ bytes: [UInt8]) throws(ImportError) -> (text: String, encoding: Encoding) {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            guard let text = String(bytes: bytes, encoding: .utf16) else {
                throw ImportError("the file starts like UTF-16 text but cannot be read as such")
            }
            return (try checked(text.trimmingBOM()), .utf16)
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        if let text = String(validating: body, as: UTF8.self) {
            return (try checked(text), .utf8)
        }
        return (try checked(windows1252(body)), .windows1252)
    }

    /// NUL characters never occur in a text export: such a file is a spreadsheet, an archive or an image.
    private static func checked(_ text: String) throws(ImportError) -> String {
        if text.unicodeScalars.contains(where: { $0.value == 0 }) {
            throw ImportError("the file is not CSV text (it holds binary data — an .xlsx, zip or image?): export it as CSV and try again")
        }
        return text
    }

    static func windows1252(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if (0x80...0x9F).contains(byte), let mapped = Unicode.Scalar(cp1252High[Int(byte) - 0x80]) {
                scalars.append(mapped)
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }

    /// Windows-1252's 0x80–0x9F; the five unassigned bytes keep their Latin-1 code point.
    private static let cp1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}

extension String {
    fileprivate func trimmingBOM() -> String {
        hasPrefix("\u{FEFF}") ? String(dropFirst()) : self
    }
}
