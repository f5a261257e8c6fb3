import Foundation

/// Windows-1252, the encoding Excel uses for "CSV" on Western European systems: Latin-1 with
/// printable characters (€ ’ “ — œ Š …) in place of most of the control codes 0x80–0x9F.
enum Windows1252 {
    /// The Unicode code point of `byte`.
    @inline(__always)
    static func codePoint(of byte: UInt8) -> UInt32 {
        (0x80...0x9F).contains(byte) ? high[Int(byte) - 0x80] : UInt32(byte)
    }

    /// 0x80–0x9F; the five unassigned bytes keep their Latin-1 code point.
    private static let high: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}
