import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import Testing
import GreenlightTestSupport

/// The dashboard's CSV downloads: RFC 4180 quoting, CRLF, BOM, and formula injection defused
/// for text but not for the app's own numbers. Expected files are written out byte for byte.
@Suite("CSV download: quoting, BOM, formula injection")
struct CSVDownloadTests {
    func csv(_ cells: CSVDownload.Cell...) -> String {
        CSVDownload(header: ["h"], rows: [cells]).render()
    }

    /// The file for one row of cells, as we expect to read it.
    func expected(_ row: String) -> String {
        "\u{FEFF}h\r\n" + row + "\r\n"
    }

    @Test("the file starts with the UTF-8 BOM, ends every record with CRLF, keeps accents")
    func bomAndLineEnds() {
        let file = CSVDownload(header: ["company", "emails"], rows: [[.text("Société Générale"), .integer(12)], [.text("Ørsted"), .integer(3)]])
        #expect(file.render() == "\u{FEFF}company,emails\r\nSociété Générale,12\r\nØrsted,3\r\n")
        #expect(Array(file.bytes().prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(Array(file.bytes()[3...9]) == Array("company".utf8))
    }

    @Test("each dangerous first character gets a leading quote mark", arguments: ["=", "+", "-", "@", "\t"])
    func dangerousPrefix(_ prefix: String) {
        #expect(csv(.text(prefix + "HYPERLINK(\"http://evil\")")) == expected("\"'" + prefix + "HYPERLINK(\"\"http://evil\"\")\""))
        #expect(csv(.text(prefix + "1")) == expected("'" + prefix + "1"))
    }

    @Test("a leading carriage return is defused and, being a line break, quoted")
    func carriageReturn() {
        #expect(csv(.text("\r=1+1")) == expected("\"'\r=1+1\""))
        #expect(csv(.text("\r\n=1+1")) == expected("\"'\r\n=1+1\""))
    }

    @Test("a dangerous character later in the cell is left alone")
    func notAtStart() {
        #expect(csv(.text("a=b")) == expected("a=b"))
        #expect(csv(.text("jean-luc@example.com")) == expected("jean-luc@example.com"))
    }

    @Test("commas, quotes and line breaks inside a cell are quoted, quotes doubled")
    func quoting() {
        #expect(csv(.text("Smith, Jones & Co")) == expected("\"Smith, Jones & Co\""))
        #expect(csv(.text("the \"best\" tool")) == expected("\"the \"\"best\"\" tool\""))
        #expect(csv(.text("line one\nline two")) == expected("\"line one\nline two\""))
        #expect(csv(.text("line one\r\nline two")) == expected("\"line one\r\nline two\""))
        #expect(csv(.text("")) == expected(""))
    }

    @Test("numbers the app writes stay numbers: -5 is not prefixed, rates are plain decimals")
    func numbers() {
        #expect(csv(.integer(-5), .number(-2.5), .number(0.95), .integer(0)) == expected("-5,-2.5,0.95,0"))
        #expect(csv(.number(.nan), .number(.infinity)) == expected(","))
        // The same figure as text is treated as someone else's input.
        #expect(csv(.text("-5")) == expected("'-5"))
    }

    @Test("the header row is defused like any text")
    func header() {
        let file = CSVDownload(header: ["=cmd", "reviewer, name"], rows: [])
        #expect(file.render() == "\u{FEFF}'=cmd,\"reviewer, name\"\r\n")
    }

    @Test("the download header keeps a safe file name")
    func contentDisposition() {
        #expect(CSVDownload.contentDisposition(filename: "rejections-2025-W14.csv") == "attachment; filename=\"rejections-2025-W14.csv\"")
        #expect(CSVDownload.contentDisposition(filename: "a\"b\r\nc/é.csv") == "attachment; filename=\"a-b-c--.csv\"")
        #expect(CSVDownload.contentType == "text/csv; charset=utf-8")
    }
}
