import Foundation
import GreenlightCore

extension ContactRow {
    /// Checks one CSV record against the header: a contact ready to store, or the reason the row is skipped.
    ///
    /// - Parameter columnCount: how many columns the header has; a record with more non-empty fields
    ///   than that has an unquoted delimiter somewhere, and its fields cannot be trusted.
    static func make(from record: CSVRecordReader.Record, columns: ContactColumns, columnCount: Int) -> Result<ContactRow, ImportReport.SkippedRow> {
        func value(_ field: ContactColumns.Field) -> String {
            guard let column = columns.index[field], column < record.fields.count else { return "" }
            return record.fields[column].trimmedWhitespace()
        }
        let email = value(.email)
        if record.fields.count > columnCount, record.fields[columnCount...].contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            return .failure(
                .init(
                    row: record.rowNumber, email: email,
                    reason: "has \(record.fields.count) fields but the header has \(columnCount) (an unquoted delimiter?)"))
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
            let text = record.fields[column].trimmedWhitespace()
            if !text.isEmpty { extra[name] = text }
        }
        return .success(
            ContactRow(
                rowNumber: record.rowNumber, firstName: value(.firstName), lastName: value(.lastName),
                email: email, emailNormalized: EmailAddress.normalize(email), companyName: company,
                website: value(.website), linkedinURL: value(.linkedinURL), industry: value(.industry), extra: extra
            ))
    }
}

extension ImportReport.SkippedRow: Error {}
