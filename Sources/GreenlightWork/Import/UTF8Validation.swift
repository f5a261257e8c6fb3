import Foundation

/// Checks UTF-8 a buffer at a time, telling a sequence cut short by the end of the buffer (more bytes
/// may complete it) from a byte that can never be valid. Rejects overlong forms, surrogates and
/// code points above U+10FFFF, as Swift's own decoder does.
enum UTF8Validation {
    /// What a scan found.
    enum Outcome: Equatable {
        /// Every byte belongs to a complete, valid sequence.
        case valid
        /// The bytes from this index start a valid sequence that the buffer cuts short.
        case incomplete(at: Int)
        /// The sequence starting at this index is invalid.
        case invalid(at: Int)
    }

    /// Scans `bytes` from index `start`.
    static func scan(_ bytes: [UInt8], from start: Int = 0) -> Outcome {
        bytes.withUnsafeBufferPointer { buffer in
            let count = buffer.count
            var index = start
            while index < count {
                let lead = buffer[index]
                if lead < 0x80 {
                    index += 1
                    continue
                }
                let length: Int
                var low: UInt8 = 0x80
                var high: UInt8 = 0xBF
                switch lead {
                case 0xC2...0xDF: length = 2
                case 0xE0: length = 3; low = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED: length = 3; high = 0x9F
                case 0xF0: length = 4; low = 0x90
                case 0xF1...0xF3: length = 4
                case 0xF4: length = 4; high = 0x8F
                default: return .invalid(at: index)
                }
                for offset in 1..<length {
                    guard index + offset < count else { return .incomplete(at: index) }
                    let byte = buffer[index + offset]
                    let range: ClosedRange<UInt8> = offset == 1 ? low...high : 0x80...0xBF
                    guard range.contains(byte) else { return .invalid(at: index) }
                }
                index += length
            }
            return .valid
        }
    }
}
