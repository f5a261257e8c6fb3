import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import HTTPTypes
import Hummingbird
import Testing
import GreenlightTestSupport

/// The OpenAPI document at `/api/v1/openapi.json` is kept true: it is served to anyone; it describes
/// exactly the `/api/v1` routes of the router (walked from its route table) with their path
/// parameters; it uses only the schema keywords the tests' validator knows; and every operation,
/// called for real on both databases, answers what it documents (``WebClient`` validates each answer
/// of every test against it; this journey makes sure every operation is among them).
@Suite("OpenAPI document")
struct OpenAPITests {
    static let document = OpenAPIDocument.shared

    /// `/api/v1/emails/:id` → `/api/v1/emails/{id}`.
    static func template(_ routerPath: String) -> String {
        routerPath.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.reduce("") { $0 + "/" + $1 }
    }

    @Test("served to anyone; exactly the router's /api/v1 routes, each path parameter declared; only known keywords, every $ref resolves")
    func routeTable() async throws {
        try await withApp(.sqlite) { database, client in
            var web = WebClient(client)
            let served = try await web.request("/api/v1/openapi.json")
            #expect(served.status == .ok && served.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(try JSONValue.parse(served.text) == Self.document.root, "the file the tests read is the one served")
            #expect(Self.document.root["openapi"]?.string == "3.1.0")

            let router = try await buildRouter(configuration: AppConfiguration(paths: TestDatabase.paths, bcryptCost: 4), database: database)
            let routes = Set(router.routes.map { "\($0.method.rawValue) \(Self.template($0.path.description))" }.filter { $0.contains(" /api/v1/") })
            let documented = Set(Self.document.operations.map { "\($0.method) \($0.path)" }).subtracting(["GET /api/v1/openapi.json"])
            #expect(routes.count >= 13)
            #expect(routes.subtracting(documented).isEmpty, "routes the document lacks: \(routes.subtracting(documented).sorted())")
            #expect(documented.subtracting(routes).isEmpty, "documented routes the router lacks: \(documented.subtracting(routes).sorted())")
        }
        for (method, path) in Self.document.operations {
            let operation = try #require(Self.document.operation(method: method, path: path)).operation
            let captures = Set(path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
            let declared = Set((operation["parameters"]?.array ?? []).filter { $0["in"]?.string == "path" }.compactMap { $0["name"]?.string })
            #expect(captures == declared, "\(method) \(path): path parameters \(declared.sorted()), the path has \(captures.sorted())")
            let statuses = operation["responses"]?.object?.keys.sorted() ?? []
            #expect(statuses.contains { $0.hasPrefix("2") }, "\(method) \(path) documents no success")
            #expect(operation["operationId"]?.string != nil)
            if path != "/api/v1/openapi.json" { #expect(statuses.contains("401"), "\(method) \(path) documents no 401") }
        }
        var problems: [String] = []
        Self.checkKeywords(Self.document.root["components"]?["schemas"] ?? .null, at: "#/components/schemas", schemaLevel: false, into: &problems)
        Self.checkKeywords(Self.document.root["paths"] ?? .null, at: "#/paths", schemaLevel: false, into: &problems)
        #expect(problems.isEmpty, "\(problems)")
    }

    static let knownKeywords: Set<String> = [
        "type", "properties", "required", "additionalProperties", "items", "enum", "const", "$ref", "oneOf", "anyOf",
        "minimum", "maximum", "minLength", "format", "description", "example", "title", "default",
    ]

    /// Walks the document: every schema (under a `schema`, a component, or nested in one) uses only
    /// keywords the validator checks or that inform; every `$ref` resolves.
    static func checkKeywords(_ value: JSONValue, at path: String, schemaLevel: Bool, into problems: inout [String]) {
        if let fields = value.object {
            if schemaLevel {
                for key in fields.keys where !knownKeywords.contains(key) { problems.append("\(path): unknown schema keyword \(key)") }
                if let reference = fields["$ref"]?.string,
                    document.validate(.null, against: .object(["$ref": .string(reference)]), at: "").contains(where: { $0.contains("unresolvable") })
                {
                    problems.append("\(path): \(reference) does not resolve")
                }
            }
            for (key, child) in fields {
                let childPath = path + "/" + key
                if path == "#/components/schemas" || key == "schema" || key == "items" || key == "additionalProperties" && child.object != nil {
                    checkKeywords(child, at: childPath, schemaLevel: true, into: &problems)
                } else if schemaLevel && key == "properties" {
                    for (name, property) in child.object ?? [:] {
                        checkKeywords(property, at: childPath + "/" + name, schemaLevel: true, into: &problems)
                    }
                } else if schemaLevel && (key == "oneOf" || key == "anyOf") {
                    for (index, choice) in (child.array ?? []).enumerated() {
                        checkKeywords(choice, at: childPath + "/\(index)", schemaLevel: true, into: &problems)
                    }
                } else if !schemaLevel {
                    checkKeywords(child, at: childPath, schemaLevel: false, into: &problems)
                }
            }
        } else if let items = value.array, !schemaLevel {
            for (index, item) in items.enumerated() { checkKeywords(item, at: path + "/\(index)", schemaLevel: false, into: &problems) }
        }
    }

    @Test("the validator checks the formats the document uses: a date that is no date, a date-time without its zone, an unknown format")
    func formats() {
        #expect(OpenAPIDocument.check("2026-12-07", format: "date") == nil)
        #expect(OpenAPIDocument.check("2026-02-30", format: "date") != nil && OpenAPIDocument.check("7 Dec 2026", format: "date") != nil)
        #expect(OpenAPIDocument.check("2026-12-07T10:02:03.120Z", format: "date-time") == nil)
        #expect(OpenAPIDocument.check("2026-12-07T10:02:03+01:00", format: "date-time") == nil)
        #expect(
            OpenAPIDocument.check("2026-12-07 10:02:03", format: "date-time") != nil
                && OpenAPIDocument.check("2026-12-07T25:00:00Z", format: "date-time") != nil)
        #expect(OpenAPIDocument.check("a@b.example", format: "email") != nil, "a format the validator does not know is a problem, not a pass")
        let schema = JSONValue.object(["type": .string("string"), "format": .string("date")])
        #expect(Self.document.validate(.string("2026-13-01"), against: schema, at: "/day") == ["at /day: \"2026-13-01\" is not a date (YYYY-MM-DD)"])
    }

    @Test("every operation called for real: its success and its errors answer as documented", arguments: DatabaseDialect.allCases)
    func everyOperation(_ dialect: DatabaseDialect) async throws {
        try await FakeSequencer.run { fake, baseURL in
            let box = try SecretBox(base64Key: SecretBox.makeKey())
            try await withApp(dialect, secretBox: box, sequencers: SequencerFactory(instantlyBaseURL: baseURL, sleep: { _ in })) { database, client in
                let seed = try await Seed.make(database, contacts: 12)
                try await ClientSecrets(database: database, box: box).set(
                    clientID: seed.clientID, sequencerKind: "instantly", sequencerKey: fake.key, slackWebhook: nil)
                let keys = APIKeyRepository(database: database)
                let manager = try await keys.create(clientID: seed.clientID, name: "make", role: .manager)
                let reviewer = try await keys.create(clientID: seed.clientID, name: "clay", role: .reviewer)
                var web = WebClient(client)
                var answered: Set<String> = []
                @discardableResult
                func call(_ method: HTTPRequest.Method, _ uri: String, key: String? = manager, body: String? = nil) async throws -> WebClient.Page {
                    var headers: HTTPFields = [:]
                    if let key { headers[.authorization] = "Bearer \(key)" }
                    let page = try await web.request(
                        uri, method: method, headers: headers, body: body, contentType: body == nil ? nil : "application/json")
                    let path = String(uri.split(separator: "?")[0])
                    if let template = Self.document.operation(method: method.rawValue, path: path)?.template {
                        answered.insert("\(method.rawValue) \(template) \(page.status.code)")
                    }
                    return page
                }

                let list = try await call(.get, "/api/v1/emails?limit=5&status=pending")
                let ids = try #require(JSONValue.parse(list.text)["emails"]?.array).compactMap { $0["id"]?.number.map(Int.init) }
                #expect(ids.count == 5)
                try await call(.get, "/api/v1/emails", key: nil)
                try await call(.get, "/api/v1/emails?min_score=200")
                try await call(.get, "/api/v1/emails/\(ids[0])")
                try await call(.get, "/api/v1/emails/999999")
                try await call(.post, "/api/v1/emails/\(ids[0])/approve")
                try await call(.post, "/api/v1/emails/\(ids[0])/approve")
                try await call(.post, "/api/v1/emails/\(ids[1])/edit", body: #"{"body": "Hi,\n\nShorter.\n"}"#)
                try await call(.post, "/api/v1/emails/\(ids[2])/edit", body: "{")
                try await call(.post, "/api/v1/emails/\(ids[2])/reject", body: #"{"reason": "boring"}"#)
                try await call(.post, "/api/v1/emails/\(ids[2])/reject", body: #"{"reason": "incorrect_info", "details": "wrong city"}"#)

                try await call(.get, "/api/v1/analytics")
                try await call(.get, "/api/v1/analytics?from=yesterday")
                try await call(.get, "/api/v1/outcomes")

                let rollout = "/api/v1/clients/\(seed.clientID)/rollout"
                try await call(.get, rollout)
                try await call(.get, rollout, key: reviewer)
                try await call(.get, "/api/v1/clients/Nobody/rollout")
                try await call(.put, rollout, body: #"{"sample_rate": 0.1}"#)
                try await call(.put, rollout, body: #"{"sample_rate": 7}"#)
                try await call(.put, rollout, body: "[")

                let job = try await call(
                    .post, "/api/v1/campaigns/generate",
                    body: #"{"template": "Northwind intro EN", "contacts": [{"email": "ada@engines.example", "company_name": "Engines"}]}"#)
                let jobID = try #require(JSONValue.parse(job.text)["job_id"]?.number.map(Int.init))
                try await call(.get, "/api/v1/campaigns/\(jobID)")
                #expect(try await DraftWorker(database: database, filler: ContextPackFiller()).runUntilIdle() == 1)
                try await call(.get, "/api/v1/campaigns/\(jobID)")
                try await call(.post, "/api/v1/campaigns/generate", key: reviewer, body: "{}")
                try await call(
                    .post, "/api/v1/campaigns/generate", body: #"{"template": "Nope", "contacts": [{"email": "a@b.example", "company_name": "B"}]}"#)
                try await call(.get, "/api/v1/campaigns/999999")

                let started = try await call(.post, "/api/v1/exports", body: #"{"client": \#(seed.clientID)}"#)
                #expect(started.status == .accepted, "a client id as a number: \(started.text)")
                let runID = try #require(JSONValue.parse(started.text)["run_id"]?.number.map(Int.init))
                #expect(try await ExportFixtures.settled(database, runID: runID) == "finished")
                try await call(.post, "/api/v1/exports", body: #"{"client": "Nobody"}"#)
                try await call(.post, "/api/v1/exports", body: #"{"client": []}"#)
                try await call(.get, "/api/v1/exports?client=\(seed.clientID)")
                try await call(.get, "/api/v1/exports/\(runID)")
                try await call(.get, "/api/v1/exports/999999")
                try await call(.get, "/api/v1/exports", key: reviewer)
                try await call(.post, "/api/v1/emails/\(ids[3])/approve")
                let file = try #require(try await CSVExport(database: database).prepare(clientID: seed.clientID))
                try await call(.delete, "/api/v1/exports/\(file.runID)/emails/\(ids[3])")
                try await call(.delete, "/api/v1/exports/\(file.runID)/emails/\(ids[3])")
                try await call(.delete, "/api/v1/exports/999999/emails/\(ids[3])")

                for (method, path) in Self.document.operations where path != "/api/v1/openapi.json" {
                    #expect(answered.contains { $0.hasPrefix("\(method) \(path) 2") }, "\(method) \(path) was never answered with a success here")
                }
                let errors = Set(answered.compactMap { $0.split(separator: " ").last.map(String.init) }.filter { !$0.hasPrefix("2") })
                #expect(errors == ["400", "401", "403", "404", "409", "422"], "\(errors.sorted())")
            }
        }
    }
}
