import Foundation
import SQLKit
import GreenlightWork

/// Which approved emails a claim may take besides the basics: none whose address waits in a CSV
/// file, and for a CSV file none with a cell a spreadsheet would run as a formula.
extension ExportLedger {
    /// Whether a CSV file of the client waits for its upload.
    static func hasOpenFile(_ sql: any SQLDatabase, clientID: Int) async throws -> Bool {
        try await sql.raw("SELECT id FROM export_runs WHERE client_id = \(bind: clientID) AND status = 'awaiting_upload' LIMIT 1").first() != nil
    }

    /// For an email `e`: its address waits in a CSV file of its client not uploaded yet.
    static let addressInOpenFile = """
        EXISTS (SELECT 1 FROM export_runs f JOIN export_items fi ON fi.run_id = f.id JOIN generated_emails fe ON fe.id = fi.email_id
        WHERE f.client_id = e.client_id AND f.status = 'awaiting_upload' AND fi.status = 'claimed' AND LOWER(fe.contact_email) = LOWER(e.contact_email))
        """

    /// For an email `e`: a cell of its CSV row (address, names, company, subject, body) starts with a
    /// character a spreadsheet reads as a formula (``CSVDownload/formulaPrefixes``).
    static func startsFormula() -> SQLQueryString {
        let prefixes = CSVDownload.formulaPrefixes.map { String($0) }.sorted()
        return """
            (substr(e.contact_email, 1, 1) IN (\(binds: prefixes)) OR substr(e.company_name, 1, 1) IN (\(binds: prefixes))
            OR substr(COALESCE(e.final_subject, e.subject), 1, 1) IN (\(binds: prefixes)) OR substr(COALESCE(e.final_body, e.body), 1, 1) IN (\(binds: prefixes))
            OR EXISTS (SELECT 1 FROM contacts fc WHERE fc.id = e.contact_id AND (substr(fc.first_name, 1, 1) IN (\(binds: prefixes)) OR substr(fc.last_name, 1, 1) IN (\(binds: prefixes)))))
            """
    }
}
