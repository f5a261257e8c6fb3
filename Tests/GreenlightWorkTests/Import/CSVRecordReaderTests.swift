import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import Testing
import GreenlightTestSupport

/// The streaming CSV reader on its own: encodings, delimiters, quoting, row numbers, and the same
/// records whatever size the chunks are cut to.
@Suite("CSV record reader")
struct CSVRecordReaderTests {
    static func records(_ bytes: [UInt8], chunkSize: Int = ByteChunks.defaultChunkSize) throws -> (
        reader: CSVRecordReader, records: [CSVRecordReader.Record]
    ) {
        let reader = try CSVRecordReader(.bytes(bytes), chunkSize: chunkSize)
        var records: [CSVRecordReader.Record] = []
        while let record = try reader.next() { records.append(record) }
        return (reader, records)
    }

    static func utf16(_ text: String, littleEndian: Bool) -> [UInt8] {
        var bytes: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
        for unit in text.utf16 {
            bytes += littleEndian ? [UInt8(unit & 0xFF), UInt8(unit >> 8)] : [UInt8(unit >> 8), UInt8(unit & 0xFF)]
        }
        return bytes
    }

    /// More than the 64 KB that decide the encoding, so later chunks are transcoded one by one, with
    /// multibyte characters, a quoted line break and a blank line along the way.
    static let longText: String = {
        var lines = ["first_name,last_name,email,company_name,notes"]
        for index in 0..<1500 {
            lines.append(index % 97 == 0 ? "" : "Zoë\(index),Gařcía 😀,z\(index)@alpha.example,\"Café, Œuvre\",\"two\r\nlines — ok\"")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }()

    @Test("records and row numbers are the same whatever the chunk size, in UTF-8, UTF-16 and Windows-1252")
    func chunkBoundaries() throws {
        let expected = try Self.records(Array(Self.longText.utf8)).records
        #expect(expected.count == 1500 - 16)
        #expect(expected.first?.rowNumber == 3, "row 2 is blank")
        #expect(expected.last?.rowNumber == 1501)
        #expect(expected[0].fields == ["Zoë1", "Gařcía 😀", "z1@alpha.example", "Café, Œuvre", "two\r\nlines — ok"])
        let latin = Self.longText.replacingOccurrences(of: "ř", with: "r").replacingOccurrences(of: " 😀", with: "")
        let latinExpected = try Self.records(Array(latin.utf8)).records
        let inputs: [(String, [UInt8], [CSVRecordReader.Record])] = [
            ("UTF-8", Array(Self.longText.utf8), expected),
            ("UTF-8 with BOM", [0xEF, 0xBB, 0xBF] + Array(Self.longText.utf8), expected),
            ("UTF-16LE", Self.utf16(Self.longText, littleEndian: true), expected),
            ("UTF-16BE", Self.utf16(Self.longText, littleEndian: false), expected),
            ("Windows-1252", CSVFixtures.windows1252(latin), latinExpected),
        ]
        for (label, bytes, wanted) in inputs {
            for chunkSize in [1, 3, 7, 4093, 70_000] {
                let read = try Self.records(bytes, chunkSize: chunkSize)
                #expect(read.reader.header == ["first_name", "last_name", "email", "company_name", "notes"], "\(label) / \(chunkSize)")
                #expect(read.records.map(\.rowNumber) == wanted.map(\.rowNumber), "\(label) / \(chunkSize)")
                #expect(read.records.map(\.fields) == wanted.map(\.fields), "\(label) / \(chunkSize)")
            }
        }
    }

    @Test("a UTF-8 character cut by the end of the first 64 KB does not make the file Windows-1252")
    func sniffBoundary() throws {
        let header = "email,company_name\n"
        let padding = String(repeating: "x", count: TextEncoding.sniffLength - header.utf8.count - 1)
        let bytes = Array((header + padding + "é,Acme\n").utf8)
        #expect(bytes[TextEncoding.sniffLength - 1] == 0xC3, "the é starts on the last byte of the 64 KB")
        let read = try Self.records(bytes)
        #expect(read.reader.encoding == .utf8)
        #expect(read.records.map(\.fields) == [[padding + "é", "Acme"]])
    }

    @Test("invalid UTF-8 after the first 64 KB of a UTF-8 file is an error that names its row")
    func lateInvalidUTF8() throws {
        var text = "email,company_name\n"
        for index in 0..<3000 { text += "p\(index)@x.example,Company \(index)\n" }
        var bytes = Array(text.utf8) + Array("late@x.example,Caf".utf8) + [0xE9] + Array("\n".utf8)
        bytes += Array("after@x.example,After\n".utf8)
        #expect(bytes.count > TextEncoding.sniffLength)
        for chunkSize in [1, 4096, ByteChunks.defaultChunkSize] {
            do {
                _ = try Self.records(bytes, chunkSize: chunkSize)
                Issue.record("chunk size \(chunkSize): accepted")
            } catch let error as ImportError {
                #expect(error.message.hasPrefix("row 3002 is not valid UTF-8 (byte 0xE9)"), "\(error.message)")
            }
        }
    }

    @Test("NUL, a lone UTF-16 surrogate and a cut-off file are clear errors")
    func textErrors() throws {
        let cases: [(String, [UInt8], String)] = [
            ("NUL late", Array("email,company_name\na@x.example,A\n".utf8) + [0] + Array("b@x.example,B\n".utf8), "not CSV text"),
            (
                "lone surrogate", Self.utf16("email,company_name\na@x.example,A\n", littleEndian: true) + [0x00, 0xD8, 0x41, 0x00],
                "row 3 is not valid UTF-16"
            ),
            (
                "odd UTF-16", Self.utf16("email,company_name\na@x.example,A\n", littleEndian: false) + [0x00],
                "ends in the middle of a UTF-16 character"
            ),
            (
                "unclosed quote in the header", Array("email,\"company\n".utf8) + Array(String(repeating: "a@x.example,A\n", count: 80_000).utf8),
                "the first line is longer than 1 MB"
            ),
            (
                "unclosed quote",
                Array("email,company_name\na@x.example,\"A".utf8) + Array(repeating: UInt8(ascii: "a"), count: CSVRecordReader.maxRecordBytes + 10),
                "row 2 is longer than 1 MB"
            ),
        ]
        for (label, bytes, message) in cases {
            do {
                _ = try Self.records(bytes)
                Issue.record("\(label) was accepted")
            } catch let error as ImportError {
                #expect(error.message.contains(message), "\(label): \(error.message)")
            }
        }
    }

    @Test("delimiter from the header line; CR, LF and CRLF line ends; quotes inside and after quoted fields")
    func delimitersAndQuoting() throws {
        let semicolons = try Self.records(Array("\"a,b\";c;d\r1;\"x;\"\"y\"\"\";3\r\r2;\"p\";4".utf8))
        #expect(semicolons.reader.delimiterName == ";")
        #expect(semicolons.reader.header == ["a,b", "c", "d"])
        #expect(semicolons.records.map(\.rowNumber) == [2, 4])
        #expect(semicolons.records.map(\.fields) == [["1", "x;\"y\"", "3"], ["2", "p", "4"]])
        let unquotedQuote = try Self.records(Array("a,b\n1,say \"hi\"\n".utf8))
        #expect(unquotedQuote.records.map(\.fields) == [["1", "say \"hi\""]], "a quote inside an unquoted field is text")
        let tabs = try Self.records(Array("email\tcompany\n\na@x.example\t\"A\nB\"\nb@x.example\tB\n".utf8))
        #expect(tabs.reader.delimiterName == "tab")
        #expect(tabs.records.map(\.rowNumber) == [3, 4], "a blank line counts, a quoted line break does not")
        #expect(try Self.records(Array("a;b,c,d\n".utf8)).reader.delimiterName == ",")
        #expect(try Self.records(Array("a;b,c\n".utf8)).reader.delimiterName == ",", "a tie goes to the comma")
        #expect(try Self.records(Array("a;b\tc\n".utf8)).reader.delimiterName == ";", "then to the semicolon")
        #expect(try Self.records(Array("just-one-column\n".utf8)).reader.delimiterName == ",")
    }

    @Test("text after a closing quote, and a quote left open at the end, are errors that name the row")
    func badQuoting() throws {
        let cases: [(String, [UInt8], String)] = [
            ("text after a closing quote", Array("a;b;c\r1;2;3\r\r2;\"p\"q;4".utf8), "row 4 has text after a closing quote"),
            // CSV.swift alone would keep the quote and read on as if the field were still quoted, merging rows 3 and 4 into row 2.
            (
                "no silent merge", Array("email,company\na@x.example,\"Acme\" Inc\nb@x.example,Beta\nc@x.example,\"Gamma\"\n".utf8),
                "row 2 has text after a closing quote"
            ),
            ("in the header", Array("\"email\"x,company\na@x.example,A\n".utf8), "row 1 has text after a closing quote"),
            (
                "open at the end", Array("email,company\na@x.example,A\nb@x.example,\"Beta\nc@x.example,C\n".utf8),
                "row 3 has a quote (\") that is never closed"
            ),
        ]
        for (label, bytes, message) in cases {
            for chunkSize in [1, 5, ByteChunks.defaultChunkSize] {
                do {
                    _ = try Self.records(bytes, chunkSize: chunkSize)
                    Issue.record("\(label) / \(chunkSize) was accepted")
                } catch let error as ImportError {
                    #expect(error.message.hasPrefix(message), "\(label) / \(chunkSize): \(error.message)")
                }
            }
        }
    }

    @Test("a text problem at the start of a row is blamed on that row, even after a non-ASCII character and a CR")
    func textProblemAtRowStart() throws {
        for lineEnd in ["\n", "\r", "\r\n"] {
            var text = "email,company" + lineEnd
            for index in 0..<3000 { text += "p\(index)@x.example,Company \(index)" + lineEnd }
            let bytes = Array((text + "a@x.example,Café" + lineEnd).utf8) + [0xE9] + Array("b@x.example,B\(lineEnd)".utf8)
            #expect(bytes.count > TextEncoding.sniffLength, "the file is UTF-8 by its first 64 KB")
            do {
                _ = try Self.records(bytes)
                Issue.record("accepted")
            } catch let error as ImportError {
                #expect(error.message.hasPrefix("row 3003 is not valid UTF-8"), "\(error.message)")
            }
        }
    }

    @Test("an empty or blank file, or a blank header, is refused")
    func emptyFiles() throws {
        for (bytes, message) in [
            ([UInt8](), "the file is empty"), (Array(" \r\n \n\t\n".utf8), "the file is empty"),
            ([0xEF, 0xBB, 0xBF], "the file is empty"), (Array("\nemail,company\na@x.example,A\n".utf8), "header, is blank"),
        ] {
            do {
                _ = try Self.records(bytes)
                Issue.record("\(bytes) was accepted")
            } catch let error as ImportError {
                #expect(error.message.contains(message), "\(error.message)")
            }
        }
    }

    @Test("a file is read the same as the same bytes in memory")
    func fileSource() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("greenlight-reader-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = Self.utf16(Self.longText, littleEndian: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try CSVRecordReader(.file(path: path))
        var fromFile: [CSVRecordReader.Record] = []
        while let record = try reader.next() { fromFile.append(record) }
        let inMemory = try Self.records(bytes).records
        #expect(reader.encoding == .utf16LittleEndian)
        #expect(fromFile.map(\.fields) == inMemory.map(\.fields))
        #expect(fromFile.map(\.rowNumber) == inMemory.map(\.rowNumber))
        #expect(throws: ImportError.self) { _ = try CSVRecordReader(.file(path: path + ".missing")) }
    }
}
