import Foundation

/// Turns a CSV's bytes, in the encoding ``TextEncoding/detect(_:isWholeFile:)`` finds, into valid UTF-8
/// without NUL characters, a chunk at a time, so the CSV reader can work on bytes and never sees a
/// character cut in two.
///
/// Text before a problem is handed out first, and the problem is thrown on the next call, so the
/// reader knows which row holds it. Owned by one reader: not thread-safe.
final class UTF8Transcoder {
    /// The encoding found from the first bytes.
    let encoding: TextEncoding
    private let chunks: ByteChunks
    /// The bytes read to decide the encoding (byte-order mark removed), not yet handed out.
    private var sniffed: [UInt8]?
    /// The start of a character cut by the end of the previous chunk.
    private var carry: [UInt8] = []
    private var problem: TextProblem?
    private var chunksAreDone: Bool

    init(_ chunks: ByteChunks) throws(ImportError) {
        var prefix: [UInt8] = []
        var isWholeFile = false
        while prefix.count < TextEncoding.sniffLength {
            guard let chunk = try chunks.next() else {
                isWholeFile = true
                break
            }
            prefix += chunk
        }
        let (encoding, bomLength) = TextEncoding.detect(prefix, isWholeFile: isWholeFile)
        self.encoding = encoding
        self.chunks = chunks
        self.sniffed = bomLength == 0 ? prefix : Array(prefix.dropFirst(bomLength))
        self.chunksAreDone = isWholeFile
    }

    /// The next piece of text as UTF-8 (never empty), or `nil` at the end.
    func next() throws(TextProblem) -> [UInt8]? {
        while true {
            if let problem { throw problem }
            let input: [UInt8]
            if let sniffed {
                input = sniffed
                self.sniffed = nil
            } else if chunksAreDone {
                if !carry.isEmpty {
                    problem = .truncated(encoding)
                    continue
                }
                return nil
            } else {
                let chunk: [UInt8]?
                do {
                    chunk = try chunks.next()
                } catch {
                    throw .unreadable(error)
                }
                guard let chunk else {
                    chunksAreDone = true
                    continue
                }
                input = chunk
            }
            var output = transcode(input)
            if let nul = output.firstIndex(of: 0) {
                output.removeSubrange(nul...)
                problem = .nul
            }
            if !output.isEmpty { return output }
        }
    }

    /// Converts one chunk, keeping a cut character in `carry` and recording the first problem.
    private func transcode(_ input: [UInt8]) -> [UInt8] {
        switch encoding {
        case .utf8: fromUTF8(input)
        case .utf16LittleEndian: fromUTF16(input, littleEndian: true)
        case .utf16BigEndian: fromUTF16(input, littleEndian: false)
        case .windows1252: fromWindows1252(input)
        }
    }

    private func fromUTF8(_ input: [UInt8]) -> [UInt8] {
        var bytes = carry.isEmpty ? input : carry + input
        carry = []
        switch UTF8Validation.scan(bytes) {
        case .valid:
            break
        case .incomplete(let index):
            carry = Array(bytes[index...])
            bytes.removeSubrange(index...)
        case .invalid(let index):
            problem = .invalid(.utf8, detail: "byte 0x" + String(bytes[index], radix: 16, uppercase: true))
            bytes.removeSubrange(index...)
        }
        return bytes
    }

    private func fromWindows1252(_ input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count + input.count / 4)
        for byte in input {
            if byte < 0x80 {
                output.append(byte)
            } else {
                Self.appendUTF8(Windows1252.codePoint(of: byte), to: &output)
            }
        }
        return output
    }

    private func fromUTF16(_ input: [UInt8], littleEndian: Bool) -> [UInt8] {
        let bytes = carry.isEmpty ? input : carry + input
        carry = []
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        func unit(_ index: Int) -> UInt32 {
            littleEndian ? UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 : UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
        }
        var index = 0
        while index + 1 < bytes.count {
            let first = unit(index)
            var scalar = first
            switch first {
            case 0xD800...0xDBFF:
                guard index + 3 < bytes.count else {
                    carry = Array(bytes[index...])
                    return output
                }
                let second = unit(index + 2)
                guard (0xDC00...0xDFFF).contains(second) else {
                    problem = .invalid(encoding, detail: "a lone surrogate 0x" + String(first, radix: 16, uppercase: true))
                    return output
                }
                scalar = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                index += 4
            case 0xDC00...0xDFFF:
                problem = .invalid(encoding, detail: "a lone surrogate 0x" + String(first, radix: 16, uppercase: true))
                return output
            default:
                index += 2
            }
            Self.appendUTF8(scalar, to: &output)
        }
        carry = Array(bytes[index...])
        return output
    }

    /// Appends the UTF-8 form of a valid code point.
    @inline(__always)
    static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
