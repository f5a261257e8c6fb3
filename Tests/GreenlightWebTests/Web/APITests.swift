import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import HTTPTypes
import Testing
import GreenlightTestSupport

@Suite("JSON API")
struct APITests {
    static func errorCode(_ page: WebClient.Page) throws -> String? {
        (try page.json()["error"] as? [String: Any])?["code"] as? String
    }

    @Test("list, read and decide with an API key; errors are JSON with fitting statuses", arguments: DatabaseDialect.allCases)
    func apiKeyFlow(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let seed = try await Seed.make(database, contacts: 12)
            try await Seed.spreadScores(database)
            let key = try await APIKeyRepository(database: database).create(clientID: seed.clientID, name: "n8n")
            let stored = try await Seed.count(database, "SELECT COUNT(*) AS n FROM api_keys WHERE key_hash = '\(key)'")
            #expect(stored == 0, "the key is stored hashed, never in clear")
            var api = WebClient(client)
            let bearer: HTTPFields = [.authorization: "Bearer \(key)"]

            let anonymous = try await api.request("/api/v1/emails")
            #expect(anonymous.status == .unauthorized)
            #expect(try Self.errorCode(anonymous) == "unauthenticated")
            #expect(try await api.request("/api/v1/emails", headers: [.authorization: "Bearer gl_wrong"]).status == .unauthorized)

            var collected: [Int] = []
            var scores: [Int] = []
            var after = ""
            repeat {
                let page = try await api.request("/api/v1/emails?limit=5&status=pending\(after.isEmpty ? "" : "&after=\(after)")", headers: bearer)
                #expect(page.status == .ok)
                let json = try page.json()
                let emails = json["emails"] as? [[String: Any]] ?? []
                collected += emails.compactMap { $0["id"] as? Int }
                scores += emails.compactMap { $0["quality_score"] as? Int }
                #expect(emails.allSatisfy { $0["status"] as? String == "pending_review" && $0["contact_name"] != nil && $0["company_name"] != nil })
                after = json["next"] as? String ?? ""
                #expect(json.keys.contains("next"))
            } while !after.isEmpty
            #expect(collected.count == 12 && Set(collected).count == 12)
            #expect(scores == scores.sorted())

            let detail = try await api.request("/api/v1/emails/\(collected[0])", headers: bearer)
            let json = try detail.json()
            let variables = try #require(json["variables"] as? [[String: Any]])
            #expect(variables.allSatisfy { $0["value"] != nil && $0["confidence"] != nil && $0["fallback_level"] != nil && $0["reasoning"] != nil })
            #expect((json["deductions"] as? [[String: Any]])?.isEmpty == false)
            #expect(json["history"] as? [Any] != nil)

            let approve = try await api.request("/api/v1/emails/\(collected[0])/approve", method: .post, headers: bearer)
            #expect(approve.status == .ok)
            #expect(try approve.json()["status"] as? String == "approved")
            let again = try await api.request("/api/v1/emails/\(collected[0])/approve", method: .post, headers: bearer)
            #expect(again.status == .conflict)
            #expect(((try again.json()["error"] as? [String: Any])?["message"] as? String)?.contains("API key n8n") == true)

            var jsonHeaders = bearer
            jsonHeaders[.contentType] = "application/json"
            let edit = try await api.request(
                "/api/v1/emails/\(collected[1])/edit", method: .post, headers: jsonHeaders, body: #"{"body": "Hi,\n\nNew text.\n"}"#)
            #expect(try edit.json()["status"] as? String == "approved_edited")
            let badReason = try await api.request(
                "/api/v1/emails/\(collected[2])/reject", method: .post, headers: jsonHeaders, body: #"{"reason": "boring"}"#)
            #expect(badReason.status == .unprocessableContent)
            #expect(try Self.errorCode(badReason) == "invalid")
            let malformed = try await api.request("/api/v1/emails/\(collected[2])/reject", method: .post, headers: jsonHeaders, body: #"{"reason": "#)
            #expect(malformed.status == .badRequest)
            let missingBody = try await api.request("/api/v1/emails/\(collected[2])/edit", method: .post, headers: jsonHeaders, body: "{}")
            #expect(missingBody.status == .unprocessableContent)
            let reject = try await api.request(
                "/api/v1/emails/\(collected[2])/reject", method: .post, headers: jsonHeaders,
                body: #"{"reason": "incorrect_info", "details": "wrong city"}"#)
            #expect(reject.status == .ok)
            #expect(try await api.request("/api/v1/emails/999999", headers: bearer).status == .notFound)
            #expect(try await api.request("/api/v1/emails?min_score=200", headers: bearer).status == .unprocessableContent)
            #expect(try await api.request("/api/v1/emails?after=garbage", headers: bearer).status == .unprocessableContent)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM review_events") == 3)
        }
    }

    @Test("an API key reaches only its client", arguments: DatabaseDialect.allCases)
    func keyScope(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            let mine = try await Seed.make(database, contacts: 3)
            _ = try await Seed.make(database, contacts: 3, clientName: "Someone Else")
            let key = try await APIKeyRepository(database: database).create(clientID: mine.clientID, name: "zap")
            var api = WebClient(client)
            let bearer: HTTPFields = [.authorization: "Bearer \(key)"]
            let list = try await api.request("/api/v1/emails", headers: bearer)
            let emails = try list.json()["emails"] as? [[String: Any]] ?? []
            #expect(emails.count == 3 && emails.allSatisfy { $0["client_id"] as? Int == mine.clientID })
            let theirs = try await ReviewQueue(database: database).page(QueueFilter(status: .all)).emails.first { $0.clientID != mine.clientID }!.id
            #expect(try await api.request("/api/v1/emails/\(theirs)", headers: bearer).status == .notFound)
            #expect(try await api.request("/api/v1/emails/\(theirs)/approve", method: .post, headers: bearer).status == .notFound)
            #expect(try await EmailRepository(database: database).summary(id: theirs)?.status == .pendingReview)

            let keys = APIKeyRepository(database: database)
            #expect(try await keys.list(clientID: mine.clientID).first?.lastUsedAt != nil, "last use is recorded")
            #expect(try await keys.revoke(clientID: mine.clientID, name: "zap") == 1)
            #expect(try await api.request("/api/v1/emails", headers: bearer).status == .unauthorized, "a revoked key stops working")
            #expect(try await keys.list(clientID: mine.clientID).first?.revokedAt != nil)
        }
    }

    @Test("a key's last use is written at most once a minute, so API reads do not write", arguments: DatabaseDialect.allCases)
    func lastUseToTheMinute(_ dialect: DatabaseDialect) async throws {
        let clock = ManualClock(startingAt: 1_800_000_000_000)
        try await withApp(dialect, clock: clock) { database, client in
            let seed = try await Seed.make(database, contacts: 2)
            let keys = APIKeyRepository(database: database)
            let key = try await keys.create(clientID: seed.clientID, name: "poller")
            var api = WebClient(client)
            let bearer: HTTPFields = [.authorization: "Bearer \(key)"]
            func lastUse() async throws -> Int? { try await keys.list(clientID: seed.clientID).first?.lastUsedAt }
            #expect(try await lastUse() == nil)
            #expect(try await api.request("/api/v1/emails", headers: bearer).status == .ok)
            #expect(try await lastUse() == 1_800_000_000_000, "the first use is recorded")
            clock.advance(by: .seconds(59))
            #expect(try await api.request("/api/v1/emails", headers: bearer).status == .ok)
            #expect(try await lastUse() == 1_800_000_000_000, "a use within the minute writes nothing")
            clock.advance(by: .seconds(1))
            #expect(try await api.request("/api/v1/emails", headers: bearer).status == .ok)
            #expect(try await lastUse() == 1_800_000_060_000, "a use a minute later is recorded")
        }
    }

    @Test("a session may call the API, but changes need the CSRF header", arguments: DatabaseDialect.allCases)
    func sessionAPI(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect) { database, client in
            _ = try await Seed.make(database, contacts: 2)
            _ = try await Seed.user(database, email: "sam@team.example", name: "Sam")
            var web = WebClient(client)
            _ = try await web.login("sam@team.example")
            let list = try await web.request("/api/v1/emails")
            #expect(list.status == .ok)
            let id = try #require((try list.json()["emails"] as? [[String: Any]])?.first?["id"] as? Int)
            let forged = try await web.request("/api/v1/emails/\(id)/approve", method: .post)
            #expect(forged.status == .forbidden)
            #expect(try Self.errorCode(forged) == "csrf")
            let ok = try await web.request("/api/v1/emails/\(id)/approve", method: .post, headers: [CSRFHeader.name: web.csrf])
            #expect(ok.status == .ok)
        }
    }
}
