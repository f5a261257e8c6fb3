import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import HTTPTypes
import Testing
import GreenlightTestSupport

/// The job API on both databases: contacts as JSON checked like a CSV (the same per-row report), the
/// batch queued for the workers, progress read back until completed with its emails; a reviewer key
/// is refused, bad bodies are named, another client's job is not found, a reached budget shows as
/// paused with its reason.
@Suite("Job API", .timeLimit(.minutes(15)))
struct CampaignJobsTests {
    @Test("generate, watch, completed with its emails; refusals named", arguments: DatabaseDialect.allCases)
    func jobs(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 0)
            let manager = try await APIKeyRepository(database: database).create(clientID: seed.clientID, name: "make", role: .manager)
            let reviewer = try await APIKeyRepository(database: database).create(clientID: seed.clientID, name: "clay", role: .reviewer)
            var api = WebClient(client)
            func post(_ body: String, key: String = manager) async throws -> WebClient.Page {
                try await api.request(
                    "/api/v1/campaigns/generate", method: .post, headers: [.authorization: "Bearer \(key)"], body: body,
                    contentType: "application/json")
            }
            let body = #"""
                {"template": "Northwind intro EN", "contacts": [
                  {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@engines.example", "company_name": "Engines", "website": "https://engines.example", "industry": "Manufacturing", "job_title": "CFO"},
                  {"first_name": "Alan", "email": "alan@bletchley.example", "company_name": "Bletchley", "employees": 120},
                  {"email": "nope", "company_name": "Nowhere"},
                  {"email": "ADA@engines.example", "company_name": "Engines"}
                ]}
                """#
            let created = try await post(body)
            #expect(created.status == .accepted, "\(created.text)")
            let answer = try created.json()
            let jobID = try #require(answer["job_id"] as? Int)
            #expect(created.location == "/api/v1/campaigns/\(jobID)" && answer["status"] as? String == "queued" && answer["imported"] as? Int == 2)
            let skipped = answer["skipped"] as? [[String: Any]] ?? []
            #expect(
                skipped.map { $0["row"] as? Int } == [3, 4] && (skipped.first?["reason"] as? String)?.contains("is not a valid address") == true
                    && (skipped.last?["reason"] as? String)?.contains("duplicate of row 1") == true, "\(skipped)")

            func progress(_ id: Int = jobID, key: String = manager) async throws -> (HTTPResponse.Status, [String: Any]) {
                let page = try await api.request("/api/v1/campaigns/\(id)", headers: [.authorization: "Bearer \(key)"])
                return (page.status, page.status == .ok ? try page.json() : [:])
            }
            let queued = try await progress()
            #expect(
                queued.0 == .ok && queued.1["status"] as? String == "queued" && queued.1["total"] as? Int == 2 && queued.1["done"] as? Int == 0
                    && queued.1["email_ids"] == nil)
            #expect(queued.1["cache_hit_rate"] is NSNull && queued.1["cost_usd"] as? Double == 0, "no lookup yet: the rate is null, not zero")
            #expect(try await DraftWorker(database: database, filler: ContextPackFiller()).runUntilIdle() == 2)
            let done = try await progress()
            #expect(
                done.1["status"] as? String == "completed" && done.1["done"] as? Int == 2 && (done.1["email_ids"] as? [Int])?.count == 2, "\(done.1)")

            // Refusals, each named.
            #expect(try await post(body, key: reviewer).status == .forbidden, "a reviewer key does not start jobs")
            #expect(try await post("not json").status == .badRequest)
            let noContacts = try await post(#"{"template": "Northwind intro EN", "contacts": []}"#)
            #expect(noContacts.status == .unprocessableContent && noContacts.text.contains("non-empty list"))
            let noTemplate = try await post(#"{"template": "Nope", "contacts": [{"email": "a@b.example", "company_name": "B"}]}"#)
            #expect(noTemplate.status == .unprocessableContent && noTemplate.text.contains("its templates: Northwind intro EN"), "\(noTemplate.text)")
            let notObject = try await post(#"{"template": "Northwind intro EN", "contacts": ["a@b.example"]}"#)
            #expect(notObject.status == .unprocessableContent && notObject.text.contains("contact 1 is not an object"))
            let other = try await Seed.make(database, contacts: 0, clientName: "Harbor Freight")
            let otherKey = try await APIKeyRepository(database: database).create(clientID: other.clientID, name: "other", role: .manager)
            #expect(try await progress(key: otherKey).0 == .notFound, "another client's job is not seen")

            // A reached budget: the next job shows as paused, with the reason.
            try await SpendLedger(database: database).setBudgets(.init(hourly: 0, daily: nil), clientID: seed.clientID)
            let second = try await post(#"{"template": "Northwind intro EN", "contacts": [{"email": "grace@navy.example", "company_name": "Navy"}]}"#)
            let paused = try await progress(try #require(try second.json()["job_id"] as? Int))
            #expect(
                paused.1["status"] as? String == "paused"
                    && (paused.1["paused_reason"] as? String)?.contains("the hourly model budget of $0.00") == true, "\(paused.1)")
        }
    }

    @Test("a job drafted by the model reports its cache hit rate and what its calls cost", arguments: DatabaseDialect.allCases)
    func costAndCache(_ dialect: DatabaseDialect) async throws {
        try await FakeModel.run { fake, base in
            fake.set { $0.responder = { body in .object(AgentTeamTests.answers[FakeModel.schemaName(body)] ?? [:]) } }
            try await withApp(dialect) { database, client in
                let seed = try await Seed.make(database, contacts: 0)
                let manager = try await APIKeyRepository(database: database).create(clientID: seed.clientID, name: "make", role: .manager)
                var api = WebClient(client)
                let contacts = (0..<3).map {
                    #"{"first_name": "P\#($0)", "email": "p\#($0)@engines.example", "company_name": "Engines", "industry": "Retail", "job_title": "CFO"}"#
                }
                let created = try await api.request(
                    "/api/v1/campaigns/generate", method: .post, headers: [.authorization: "Bearer \(manager)"],
                    body: #"{"template": "Northwind intro EN", "contacts": [\#(contacts.joined(separator: ","))]}"#, contentType: "application/json")
                let jobID = try #require(try created.json()["job_id"] as? Int)
                let settings = ModelSettings(
                    baseURL: base, apiKey: "k", smallModel: "small-1", largeModel: "large-1",
                    prices: ["small-1": .init(input: 1_000, output: 1_000)])
                let filler = ModelFiller(
                    settings: settings, client: ChatClient(settings: settings, sleep: { _ in }), reader: nil,
                    cache: AgentCache(database: database), spend: SpendLedger(database: database))
                // One contact at a time, so the second and third find the first one's company answers.
                #expect(try await DraftWorker(database: database, filler: filler, concurrency: 1).runUntilIdle() == 3)
                let job = try await api.request("/api/v1/campaigns/\(jobID)", headers: [.authorization: "Bearer \(manager)"]).json()
                // Three company-level agents per contact: 9 lookups, the last two contacts' 6 found. Calls: 4 + 1 + 1, each
                // 100 + 20 tokens at $1,000 per million = $0.12.
                #expect(job["status"] as? String == "completed" && job["cache_lookups"] as? Int == 9 && job["cache_hits"] as? Int == 6, "\(job)")
                #expect(
                    abs((job["cache_hit_rate"] as? Double ?? 0) - 6.0 / 9.0) < 0.001 && abs((job["cost_usd"] as? Double ?? 0) - 0.72) < 0.000_001,
                    "\(job)")
                #expect(job["tokens"] as? Int == 720, "\(job)")
            }
        }
    }
}
