import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

@Suite("Contact import")
struct ContactImportTests {
    @Test("a messy CSV imports the good rows and reports each bad one", arguments: DatabaseDialect.allCases)
    func messyFile(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 0, generate: false)
            let report = try await ContactImporter(database: database).importCSV(
                .bytes(Array(CSVFixtures.messy.utf8)), fileName: "messy.csv", clientID: seed.clientID, templateID: seed.templateID)
            #expect(report.delimiter == ";")
            #expect(report.encoding == "UTF-8")
            #expect(report.imported == 3)
            #expect(report.skipped.map(\.row) == [4, 5, 6])
            #expect(report.skipped[0].reason.contains("duplicate of row 2"))
            #expect(report.skipped[1].reason.contains("company_name is empty"))
            #expect(report.skipped[2].reason.contains("not-an-email"))
            let rows = try await database.read { sql in
                try await sql.raw("SELECT first_name, company_name, extra_json, email_normalized FROM contacts ORDER BY row_number").all()
            }
            #expect(rows.count == 3)
            #expect(try rows[0].decode(column: "first_name", as: String.self) == "Zoë")
            #expect(try rows[0].decode(column: "company_name", as: String.self) == "Alpha, Inc.")
            #expect(try rows[0].decode(column: "extra_json", as: String.self).contains("line one\\r\\nline two; with a semicolon"))
            #expect(try rows[1].decode(column: "first_name", as: String.self) == "José")
            #expect(try rows[2].decode(column: "email_normalized", as: String.self) == "last@delta.example")
            #expect(try await Seed.count(database, "SELECT rows_skipped AS n FROM contact_batches") == 3)
        }
    }

    @Test("Windows-1252 accents are read as the letters they are", arguments: DatabaseDialect.allCases)
    func windows1252File(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 0, generate: false)
            let text =
                "first_name;last_name;email;company_name;industry\r\nRenée;Lefèvre;renee@cafe.example;Café Œuvre — Lyon;Food & Beverage\r\nFrançois;D’Arc;francois@cafe.example;Café Œuvre — Lyon;Prix 10 €\r\n"
            let report = try await ContactImporter(database: database).importCSV(
                .bytes(CSVFixtures.windows1252(text)), fileName: "excel.csv", clientID: seed.clientID, templateID: seed.templateID)
            #expect(report.encoding == "Windows-1252")
            #expect(report.imported == 2)
            let rows = try await database.read { sql in
                try await sql.raw("SELECT first_name, last_name, company_name, industry FROM contacts ORDER BY row_number").all()
            }
            #expect(try rows[0].decode(column: "first_name", as: String.self) == "Renée")
            #expect(try rows[0].decode(column: "company_name", as: String.self) == "Café Œuvre — Lyon")
            #expect(try rows[1].decode(column: "last_name", as: String.self) == "D’Arc")
            #expect(try rows[1].decode(column: "industry", as: String.self) == "Prix 10 €")
        }
    }

    @Test("a file that cannot be read as CSV stores nothing", arguments: DatabaseDialect.allCases)
    func unreadableFile(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 0, generate: false)
            let importer = ContactImporter(database: database)
            let xlsx: [UInt8] =
                [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00] + Array("[Content_Types].xml".utf8)
            let bad: [(String, [UInt8])] = [
                ("binary", xlsx),
                ("empty", []),
                ("header only", Array("first_name,email,company_name\n".utf8)),
                ("no email column", Array("name,company\nAda,Acme\n".utf8)),
            ]
            for (label, bytes) in bad {
                do {
                    _ = try await importer.importCSV(.bytes(bytes), fileName: label, clientID: seed.clientID, templateID: seed.templateID)
                    Issue.record("\(label) was accepted")
                } catch let error as ImportError {
                    #expect(!error.message.isEmpty)
                }
            }
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contacts") == 0)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contact_batches") == 0)
        }
    }

    @Test("duplicates are per client, against earlier imports too", arguments: DatabaseDialect.allCases)
    func duplicatesAcrossImports(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let first = try await Seed.make(database, contacts: 0, generate: false)
            let second = try await Seed.make(database, contacts: 0, clientName: "Other Client", generate: false)
            let importer = ContactImporter(database: database)
            let one = try await importer.importCSV(
                .bytes(Array("email,company_name\nada@acme.example,Acme\n".utf8)), fileName: "a.csv", clientID: first.clientID,
                templateID: first.templateID)
            let again = try await importer.importCSV(
                .bytes(Array("Email,Company\n  ADA@Acme.example ,Acme\nbob@acme.example,Acme\n".utf8)), fileName: "b.csv", clientID: first.clientID,
                templateID: first.templateID)
            #expect(again.imported == 1)
            #expect(again.skipped.map(\.row) == [2])
            #expect(again.skipped[0].reason.contains("already imported for this client (batch \(one.batchID))"))
            let other = try await importer.importCSV(
                .bytes(Array("email,company_name\nada@acme.example,Acme\n".utf8)), fileName: "c.csv", clientID: second.clientID,
                templateID: second.templateID)
            #expect(other.imported == 1, "another client may have the same contact")
        }
    }

    @Test("header names are matched loosely")
    func looseHeaders() throws {
        for header in [
            "First Name,Surname,Email Address,Organisation,URL,LinkedIn Profile,Sector", "FIRSTNAME;LASTNAME;MAIL;COMPANY;DOMAIN;LINKEDIN;INDUSTRY",
            "prénom,nom,e-mail,société,site,linkedin_url,secteur",
        ] {
            #expect(throws: Never.self, "\(header)") {
                _ = try ContactColumns(header: header.split(whereSeparator: { $0 == "," || $0 == ";" }).map(String.init))
            }
        }
    }

    @Test("fast trimming gives what Foundation's trimming gives")
    func trimming() {
        let samples = [
            "", " ", "a", " a ", "\t\r\n a b \u{85}", "\u{A0}x\u{3000}", "\u{2028}", "é ", " \u{FEFF}x", "x\u{200B}", "\u{1680}\u{202F}y\u{205F}",
            "\r\n",
        ]
        for sample in samples {
            #expect(sample.trimmedWhitespace() == sample.trimmingCharacters(in: .whitespacesAndNewlines), "\(sample.unicodeScalars.map(\.value))")
            #expect(sample.isBlank == sample.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(sample.unicodeScalars.map(\.value))")
        }
        for value in 0..<0x110000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if scalar.isImportWhitespace != CharacterSet.whitespacesAndNewlines.contains(scalar) {
                Issue.record("U+\(String(value, radix: 16)) is judged differently")
            }
        }
    }

    @Test func emailValidation() {
        for good in ["a@b.co", "first.last+tag@sub.domain.example", "o'neil@x.example"] { #expect(EmailAddress.isValid(good), "\(good)") }
        for bad in ["", "plain", "a@b", "a@@b.co", "a b@c.co", "a@b..co", ".a@b.co", "a@-b.co", "a@b.c0"] {
            #expect(!EmailAddress.isValid(bad), "\(bad)")
        }
    }
}
