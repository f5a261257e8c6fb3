import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import HTTPTypes
import SQLKit
import Testing
import GreenlightTestSupport

/// The grounding check in drafting, on both databases: with the client in full automation (every
/// score clears the threshold), a draft whose model-written words nothing supports is held for
/// review with the reason in its gate record, its card marks the words and the API lists them; the
/// same answers, supported by the contact's own fields, are auto-approved.
@Suite("Grounding in drafting", .timeLimit(.minutes(15)))
struct GroundingDraftTests {
    nonisolated(unsafe) static let answers: [String: [String: Any]] = [
        "persona_output": [
            "target_persona": "head of operations", "product_category": "call routing software", "source": "industry",
            "reasoning": "logistics", "confidence": 4,
        ],
        "competitor_output": ["competitor_name": "Aircall", "source": "industry", "reasoning": "common in logistics", "confidence": 3],
        "pain_point_output": ["solve_specific_pain": "missed calls at peak hours", "source": "industry", "reasoning": "depots", "confidence": 3],
        "case_study_output": [
            "case_study_insight": "Verdeshop answered 40% more calls.", "source": "industry", "reasoning": "same industry", "confidence": 4,
        ],
    ]

    @Test(
        "unsupported words hold the draft for review, marked on the card and listed by the API; supported ones let it through",
        arguments: DatabaseDialect.allCases)
    func grounding(_ dialect: DatabaseDialect) async throws {
        try await FakeModel.run { fake, base in
            fake.set { $0.responder = { body in .object(Self.answers[FakeModel.schemaName(body)] ?? [:]) } }
            try await withApp(dialect) { database, client in
                let seed = try await Seed.make(database, contacts: 0)
                try await RolloutFlowTests.configure(database, clientID: seed.clientID, phase: .full, sampleRate: "0")
                // The second contact's own notes say what the model will write: its draft is grounded.
                let csv = """
                    first_name,last_name,email,company_name,industry,job_title,notes
                    Ada,Byron,ada@engines.example,Engines,Logistics,CFO,
                    Bob,Marley,bob@depots.example,Depots,Logistics,CFO,"Uses Aircall; read how Verdeshop answered 40% more calls"
                    """
                let batch = try await ContactImporter(database: database).importCSV(
                    .bytes(Array(csv.utf8)), fileName: "g.csv", clientID: seed.clientID,
                    templateID: seed.templateID
                ).batchID
                let settings = ModelSettings(baseURL: base, apiKey: "k", smallModel: "small-1", largeModel: "large-1")
                let filler = ModelFiller(settings: settings, client: ChatClient(settings: settings, sleep: { _ in }), reader: nil)
                #expect(try await DraftGenerator(database: database, filler: filler).generate(batchID: batch).drafted == 2)
                let rows = try await database.read { sql in
                    try await sql.raw(
                        "SELECT id, contact_email, status, auto_block, grounding_json FROM generated_emails WHERE batch_id = \(bind: batch) ORDER BY id"
                    ).all()
                }
                let flagged = rows[0], grounded = rows[1]
                #expect(try flagged.decode(column: "status", as: String.self) == "pending_review")
                let block = try flagged.decode(column: "auto_block", as: String?.self) ?? "none"
                #expect(block.contains("the grounding check found unsupported words (“Aircall”, “40%”, “Verdeshop”)"), "\(block)")
                #expect(try grounded.decode(column: "status", as: String.self) == "approved_auto")
                #expect(try grounded.decode(column: "grounding_json", as: String?.self) == "[]", "checked, nothing found")

                let id = try flagged.decode(column: "id", as: Int.self)
                _ = try await Seed.user(database, email: "sam@team.example", name: "Sam")
                var web = WebClient(client)
                _ = try await web.login("sam@team.example")
                let card = try await web.request("/review/\(id)")
                #expect(
                    card.text.contains(#"<mark class="unsupported">Verdeshop</mark> answered <mark class="unsupported">40%</mark> more calls"#),
                    "\(card.text)")
                #expect(
                    card.text.contains(
                        #"<mark class="unsupported">“40%”, “Verdeshop”</mark> in case_study_insight: a number not in the contact, its site or the context pack"#
                    ))
                let key = try await APIKeyRepository(database: database).create(clientID: seed.clientID, name: "n8n")
                let detail = try await web.request("/api/v1/emails/\(id)", headers: [.authorization: "Bearer \(key)"])
                let grounding = try #require(try detail.json()["grounding"] as? [[String: Any]])
                #expect(grounding.compactMap { $0["variable"] as? String }.sorted() == ["case_study_insight", "competitor_name"])
            }
        }
    }
}
