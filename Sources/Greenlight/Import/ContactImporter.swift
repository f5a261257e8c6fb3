import Foundation
import SQLKit

/// Imports a contact CSV for one client and template (SPEC §8): good rows become contacts of a
/// new batch, bad rows are reported one by one, and the whole import commits or nothing does.
public struct ContactImporter: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func importCSV(_ bytes: [UInt8], fileName: String, clientID: Int, templateID: Int, userID: Int? = nil) async throws -> ImportReport {
        let table = try CSVTable.read(bytes)
        let columns = try ContactColumns(header: table.header)
        if table.records.isEmpty {
            throw ImportError("the file has a header but no contact rows")
        }
        var skipped: [ImportReport.SkippedRow] = []
        var accepted: [ContactRow] = []
        var firstRowForEmail: [String: Int] = [:]
        for record in table.records {
            switch Self.contact(from: record, columns: columns, header: table.header) {
            case .failure(let skip):
                skipped.append(skip)
            case .success(let contact):
                if let first = firstRowForEmail[contact.emailNormalized] {
                    skipped.append(.init(row: record.rowNumber, email: contact.email, reason: "duplicate of row \(first) (same email, ignoring case)"))
                } else {
                    firstRowForEmail[contact.emailNormalized] = record.rowNumber
                    accepted.append(contact)
                }
            }
        }
        let rows = accepted
        let skippedInFile = skipped
        let now = Clock.nowMillis()
        return try await database.write { sql in
            let existing = try await Self.existingEmails(rows.map(\.emailNormalized), clientID: clientID, sql: sql)
            var skipped = skippedInFile
            let fresh = rows.filter { row in
                guard let batch = existing[row.emailNormalized] else { return true }
                skipped.append(.init(row: row.rowNumber, email: row.email, reason: "already imported for this client (batch \(batch))"))
                return false
            }
            skipped.sort { $0.row < $1.row }
            guard let batchRow = try await sql.raw("""
                INSERT INTO contact_batches (client_id, template_id, file_name, status, rows_total, rows_imported, rows_skipped, skipped_json, created_by, created_at)
                VALUES (\(bind: clientID), \(bind: templateID), \(bind: fileName), 'imported', \(bind: table.records.count), \(bind: fresh.count),
                \(bind: skipped.count), \(bind: try JSONText.encode(skipped)), \(bind: userID), \(bind: now))
                RETURNING id
                """).first() else { throw StorageError("creating the batch returned no id") }
            let batchID = try batchRow.decode(column: "id", as: Int.self)
            for chunk in fresh.chunked(into: 200) {
                var query = SQLQueryString("""
                    INSERT INTO contacts (client_id, batch_id, row_number, first_name, last_name, email, email_normalized, company_name,
                    website, linkedin_url, industry, extra_json, status, created_at) VALUES
                    """)
                for (index, row) in chunk.enumerated() {
                    if index > 0 { query = query + ", " }
                    query = query + SQLQueryString("""
                        (\(bind: clientID), \(bind: batchID), \(bind: row.rowNumber), \(bind: row.firstName), \(bind: row.lastName), \(bind: row.email),
                        \(bind: row.emailNormalized), \(bind: row.companyName), \(bind: row.website), \(bind: row.linkedinURL), \(bind: row.industry),
                        \(bind: try JSONText.encode(row.extra)), 'pending', \(bind: now))
                        """)
                }
                try await sql.raw(query).run()
            }
            return ImportReport(
                batchID: batchID, fileName: fileName, encoding: table.encoding.rawValue,
                delimiter: table.delimiter == "\t" ? "tab" : String(table.delimiter),
                rowsRead: table.records.count, imported: fresh.count, skipped: skipped
            )
        }
    }

    static func contact(from record: CSVTable.Record, columns: ContactColumns, header: [String]) -> Result<ContactRow, ImportReport.SkippedRow> {
        func value(_ field: ContactColumns.Field) -> String {
            guard let column = columns.index[field], column < record.fields.count else { return "" }
            return record.fields[column].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let email = value(.email)
        if record.fields.count > header.count, record.fields[header.count...].contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            return .failure(.init(row: record.rowNumber, email: email, reason: "has \(record.fields.count) fields but the header has \(header.count) (an unquoted delimiter?)"))
        }
        if email.isEmpty {
            return .failure(.init(row: record.rowNumber, email: email, reason: "email is empty"))
        }
        if !EmailAddress.isValid(email) {
            return .failure(.init(row: record.rowNumber, email: email, reason: "email \"\(email)\" is not a valid address"))
        }
        let company = value(.companyName)
        if company.isEmpty {
            return .failure(.init(row: record.rowNumber, email: email, reason: "company_name is empty"))
        }
        var extra: [String: String] = [:]
        for (name, column) in columns.extras where column < record.fields.count {
            let text = record.fields[column].trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { extra[name] = text }
        }
        return .success(ContactRow(
            rowNumber: record.rowNumber, firstName: value(.firstName), lastName: value(.lastName),
            email: email, emailNormalized: EmailAddress.normalize(email), companyName: company,
            website: value(.website), linkedinURL: value(.linkedinURL), industry: value(.industry), extra: extra
        ))
    }

    /// Normalised email → batch id, for the emails this client already has.
    static func existingEmails(_ emails: [String], clientID: Int, sql: any SQLDatabase) async throws -> [String: Int] {
        var found: [String: Int] = [:]
        for chunk in emails.chunked(into: 500) {
            var query = SQLQueryString("SELECT email_normalized, batch_id FROM contacts WHERE client_id = \(bind: clientID) AND email_normalized IN (")
            for (index, email) in chunk.enumerated() {
                query = query + (index == 0 ? "" : ", ") + SQLQueryString("\(bind: email)")
            }
            query = query + ")"
            for row in try await sql.raw(query).all() {
                found[try row.decode(column: "email_normalized", as: String.self)] = try row.decode(column: "batch_id", as: Int.self)
            }
        }
        return found
    }
}

extension ImportReport.SkippedRow: Error {}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
