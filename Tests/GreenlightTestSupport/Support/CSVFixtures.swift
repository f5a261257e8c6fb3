import Foundation

/// CSV files the import tests and the import page's tests share.
package enum CSVFixtures {
    /// Text encoded as Windows-1252, as Excel writes "CSV" on Western European systems.
    package static func windows1252(_ text: String) -> [UInt8] {
        let special: [Unicode.Scalar: UInt8] = ["€": 0x80, "’": 0x92, "—": 0x97, "œ": 0x9C, "Œ": 0x8C]
        return text.unicodeScalars.map { scalar in
            if let byte = special[scalar] { return byte }
            precondition(scalar.value < 0x100 && !(0x80..<0xA0).contains(scalar.value), "not representable in this test helper")
            return UInt8(scalar.value)
        }
    }

    /// A CSV with every kind of trouble: a byte-order mark, semicolons, a quoted line break, a
    /// repeated address, a missing company, a bad address and an empty line.
    package static let messy =
        "\u{FEFF}First Name;Last Name;E-mail;Company;Website;LinkedIn;Industry;Job Title;Notes\r\n"
        + "Zoë;Müller;zoe@alpha.example;\"Alpha, Inc.\";https://alpha.example;;Logistics;CFO;\"line one\r\nline two; with a semicolon\"\r\n"
        + "José;García;jose@beta.example;Beta;;;Retail;AP Manager;\r\n"
        + "Ana;Dup;ZOE@ALPHA.EXAMPLE ;Alpha;;;;;\r\n"
        + "No;Company;nocompany@x.example;;;;;;\r\n"
        + "Bad;Email;not-an-email;Gamma;;;;;\r\n"
        + "\r\n"
        + "Last;Good;last@delta.example;Delta;;;;;\r\n"
}
