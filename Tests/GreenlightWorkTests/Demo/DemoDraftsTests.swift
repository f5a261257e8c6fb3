import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// The demo's own drafts carry none of the defects a day in the queue found (issue 34, §1): no
/// sentence cut at a decimal point or left hanging, no acronym written in lower case ("the coo",
/// "saas and…"), no sentence or list item starting in lower case, no `{{…}}` left — checked by
/// reading the text here, independently of the scorer, and the scorer agrees.
@Suite("The demo's drafts read cleanly", .timeLimit(.minutes(15)))
struct DemoDraftsTests {
    /// Acronyms a sales email writes in capitals (the demo pack writes several in lower case).
    static let acronyms = ["ceo", "cfo", "coo", "cto", "cio", "ap", "ar", "erp", "crm", "saas", "csv", "pdf", "sepa", "uk", "ocr", "sap"]
    /// Words a sentence does not end on.
    static let dangling: Set<String> = [
        "a", "an", "the", "and", "or", "but", "of", "to", "from", "with", "for", "in", "on", "at", "by", "as", "than",
    ]

    /// What reads wrong in a draft, one line per defect.
    static func defects(in text: String) -> [String] {
        var found: [String] = []
        if let match = text.range(of: #"\d\.\s+\d"#, options: .regularExpression) {
            found.append("a decimal cut at its point: \"\(text[match])\"")
        }
        for sentence in text.components(separatedBy: .newlines).flatMap({ $0.components(separatedBy: ". ") }) {
            let words = sentence.lowercased().split { !$0.isLetter && !$0.isNumber && $0 != "£" }
            if let last = words.last, sentence.hasSuffix("."), dangling.contains(String(last)) {
                found.append("a sentence ends on \"\(last)\": \(sentence)")
            }
            if let from = sentence.range(of: #"\bfrom [£$€]?[\d.,]+\.?$"#, options: .regularExpression) {
                found.append("a range left open: \"\(sentence[from])\"")
            }
        }
        for word in text.split(whereSeparator: { !$0.isLetter }) where acronyms.contains(String(word)) {
            found.append("an acronym in lower case: \"\(word)\"")
        }
        let starts = try! NSRegularExpression(pattern: #"(?:^|[.!?]\s+|^\s*[-*]\s+)([a-z])"#, options: [.anchorsMatchLines])
        let whole = NSRange(text.startIndex..., in: text)
        for match in starts.matches(in: text, range: whole) {
            let line = (text as NSString).substring(with: (text as NSString).lineRange(for: match.range))
            found.append("a sentence or item starts in lower case: \(line.trimmingCharacters(in: .whitespacesAndNewlines).prefix(80))")
        }
        if text.contains("{{") || text.contains("}}") { found.append("a {{…}} is left in the text") }
        return found
    }

    @Test("the reader of this test finds each defect it looks for")
    func readerFindsDefects() {
        #expect(Self.defects(in: "Processing cost per invoice fell from £9. 40 to £2.").count >= 1)
        #expect(Self.defects(in: "Processing cost per invoice fell from £9.").count == 1)
        #expect(Self.defects(in: "The coo is usually the first to feel it.") == ["an acronym in lower case: \"coo\""])
        #expect(Self.defects(in: "It works. saas teams love it.").count == 2, "lower-case start and lower-case acronym")
        #expect(Self.defects(in: "Hi Ana,\n\n- invoices keyed by hand\n- Approvals stuck").count == 1)
        #expect(Self.defects(in: "We help the team with.").count == 1)
        #expect(Self.defects(in: "Hi {{ first name }},").count == 1)
        #expect(
            Self.defects(
                in: "Hi Ana,\n\nProcessing cost per invoice fell from £9.40 to £2.10. The CFO and the SaaS team agree.\n\n- Invoices keyed by hand"
            ).isEmpty)
    }

    @Test("every draft of a fresh demo reads cleanly and the scorer finds nothing of the kind", arguments: DatabaseDialect.allCases)
    func demo(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let setup = try await DemoSetup(database: database, paths: TestDatabase.paths).run()
            let rows = try await database.read { sql in
                try await sql.raw(
                    """
                    SELECT c.email, e.subject, e.body, e.metrics_json FROM generated_emails e JOIN contacts c ON c.id = e.contact_id
                    WHERE e.batch_id = (SELECT MIN(id) FROM contact_batches) ORDER BY e.id
                    """
                ).all()
            }
            #expect(rows.count == setup.drafted && rows.count >= 100, "\(rows.count) drafts")
            var problems: [String] = []
            var codes: [String: Int] = [:]
            for row in rows {
                let email = try row.decode(column: "email", as: String.self)
                let text = try row.decode(column: "subject", as: String.self) + "\n" + row.decode(column: "body", as: String.self)
                problems += Self.defects(in: text).map { "\(email): \($0)" }
                let metrics =
                    try JSONSerialization.jsonObject(with: Data(try row.decode(column: "metrics_json", as: String.self).utf8)) as? [String: Any]
                for deduction in metrics?["deductions"] as? [[String: Any]] ?? [] {
                    codes[deduction["code"] as? String ?? "?", default: 0] += 1
                }
            }
            #expect(problems.isEmpty, "\(problems.count) defects, the first: \(problems.prefix(8).joined(separator: "\n"))")
            for code in ["cut_short", "acronym_case", "sentence_start", "placeholder", "unfilled"] {
                #expect(codes[code] == nil, "\(code) deducted \(codes[code] ?? 0) times")
            }
        }
    }
}
