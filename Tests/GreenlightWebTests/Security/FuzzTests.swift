import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import PropertyBased
import Testing
import GreenlightTestSupport

/// Random, hostile input for the two parsers that read files people upload: they must answer with a
/// clear error or a consistent result, never crash. Bounded by a case count, so bounded in time.
@Suite("Fuzzing the parsers")
struct FuzzTests {
    /// Characters that trouble CSV readers, mixed with ordinary ones.
    static let csvAlphabet: [Character] = [
        ",", ";", "\t", "\"", "\n", "\r", "\r\n", " ", "a", "Z", "é", "ü", "@", ".", "-", "0", "\u{FEFF}", "'", "=", "\\",
    ]
    static let header = "first_name,last_name,email,company_name,website,linkedin_url,industry\n"

    static let csvText = Gen.element(of: csvAlphabet).map { $0 ?? "a" }.array(of: 0...400).map { String($0) }
    static let rawBytes = Gen.uint8().array(of: 0...300)

    static func checkTable(_ bytes: [UInt8]) {
        do {
            let reader = try CSVRecordReader(.bytes(bytes))
            let columns = try ContactColumns(header: reader.header)
            var last = 1
            while let record = try reader.next() {
                #expect(record.rowNumber > last, "row numbers rise")
                last = record.rowNumber
                switch ContactRow.make(from: record, columns: columns, columnCount: reader.header.count) {
                case .success(let contact):
                    #expect(EmailAddress.isValid(contact.email) && !contact.companyName.isEmpty)
                case .failure(let skipped):
                    #expect(!skipped.reason.isEmpty)
                }
            }
        } catch {
            #expect(!error.message.isEmpty)
        }
    }

    @Test("random CSV-like text never crashes the importer")
    func csvText() async {
        await propertyCheck(count: 1500, input: Self.csvText) { text in
            Self.checkTable(Array((Self.header + text).utf8))
            Self.checkTable(Array(text.utf8))
        }
    }

    @Test("random bytes never crash the importer")
    func csvBytes() async {
        await propertyCheck(count: 1500, input: Self.rawBytes) { bytes in
            Self.checkTable(Array(Self.header.utf8) + bytes)
            Self.checkTable(bytes)
        }
    }

    static let templateAlphabet: [String] = [
        "---\n", "name: T\n", "subject: S\n", "strategy: cold_email\n", "min_words: ", "max_words: ", "-5", "300",
        "{{", "}}", "{{first_name}}", "{{nope}}", "{{ company_name }}", ":", "\n", " ", "[", "]", "'", "\"", "follow_ups:\n  - day: 2\n    body: ",
        "&a", "*a", "é",
    ]
    static let templateText = Gen.element(of: templateAlphabet).map { $0 ?? "" }.array(of: 0...60).map { $0.joined() }

    @Test("random front matter and placeholders never crash the template parser")
    func templates() async {
        await propertyCheck(count: 2000, input: Self.templateText) { text in
            for candidate in [text, "---\nname: T\nsubject: S\n---\n" + text] {
                do {
                    let template = try TemplateFile.parse(candidate)
                    #expect(TemplateVariableCatalog.unknown(in: template.variables).isEmpty)
                    #expect(template.minWords <= template.maxWords)
                } catch let error as ImportError {
                    #expect(!error.message.isEmpty)
                } catch {
                    Issue.record("unexpected error \(error)")
                }
            }
        }
    }
}
