import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import HTTPTypes
import Hummingbird
import SQLKit
import Testing
import GreenlightTestSupport

/// Walks every route as every kind of caller and checks the answer against the rights table of the README.
@Suite("Rights per role")
struct RoleMatrixTests {
    /// Who calls: nobody, a user of each role (all assigned the seeded client, but `unassigned`, a
    /// manager assigned no client), a reviewer API key and a manager API key of the seeded client.
    enum Caller: String, CaseIterable {
        case anonymous, sdr, manager, admin, apiKey, managerKey, unassigned

        var role: Role? {
            switch self {
            case .sdr: return .sdr
            case .manager, .unassigned: return .manager
            case .admin: return .admin
            case .anonymous, .apiKey, .managerKey: return nil
            }
        }
    }

    static let users: Set<Caller> = [.sdr, .manager, .admin, .unassigned]
    static let managers: Set<Caller> = [.manager, .admin, .unassigned]
    static let keys: Set<Caller> = [.apiKey, .managerKey]

    /// What a manager assigned no client gets where it differs from the table: any id of the seeded
    /// client's (its page, emails, batch, rollout, export) is not found; lists are empty; "pause all"
    /// and "resume all" act on no client.
    static let unassignedAnswers: [String: Int] = {
        var answers: [String: Int] = [
            "GET /api/v1/campaigns/:id": 404,
            "GET /api/v1/clients/:client/rollout": 404,
            "GET /api/v1/emails/:id": 404,
            "GET /batches/:id": 404,
            "GET /clients/:id": 404,
            "GET /clients/:id/export": 404,
            "GET /clients/:id/rollout": 404,
            "GET /clients/:id/prompts": 404,
            "POST /clients/:id/prompts/experiment": 404,
            "POST /clients/:id/prompts/experiment/end": 404,
            "POST /clients/:id/budgets": 404,
            "GET /clients/:id/templates/new": 404,
            "POST /clients/:id/templates": 404,
            "GET /clients/:id/edit": 404,
            "POST /clients/:id/edit": 404,
            "POST /clients/:id/keys": 404,
            "POST /clients/:id/suppressions": 404,
            "POST /clients/:id/export/webhook": 404,
            "POST /clients/:id/export/webhook/resume": 404,
            "POST /clients/:id/export/outcomes": 404,
            "POST /clients/:id/export/outcomes/upload": 404,
            "GET /team/users/:id": 404,
            "POST /team/users/:id": 404,
            "POST /team/users/:id/reset": 404,
            "POST /team/users/:id/deactivate": 404,
            "POST /team/users/:id/reactivate": 404,
            "GET /review/:id": 404,
            "POST /api/v1/emails/:id/approve": 404,
            "POST /api/v1/emails/:id/edit": 404,
            "POST /api/v1/emails/:id/reject": 404,
            "POST /clients/:id/export/activate": 404,
            "POST /clients/:id/export/connection": 404,
            "POST /clients/:id/export/connection/remove": 404,
            "POST /clients/:id/export/csv": 404,
            "POST /clients/:id/export/run": 404,
            "POST /clients/:id/export/settings": 404,
            "POST /clients/:id/rollout/pause": 404,
            "POST /clients/:id/rollout/phase": 404,
            "POST /clients/:id/rollout/resume": 404,
            "POST /clients/:id/rollout/settings": 404,
            "POST /review/:id/approve": 404,
            "POST /review/:id/claim": 404,
            "POST /review/:id/edit": 404,
            "POST /review/:id/reject": 404,
            "POST /review/:id/undo": 404,
            "PUT /api/v1/clients/:client/rollout": 404,
        ]
        // The import form names the seeded client's template, which this manager does not see.
        answers["POST /import"] = 422
        return answers
    }()

    /// The README's table, written out independently of `RoutePolicy`: method, path, who may call it,
    /// and the status an allowed caller gets (each request acts on an email nobody touched before).
    static let table: [(String, String, Set<Caller>, Int)] = [
        ("GET", "/health", Set(Caller.allCases), 200),
        // The walk's app runs no server (its router is called directly): starting, for everyone (ReadyTests).
        ("GET", "/ready", Set(Caller.allCases), 503),
        // Admins; a scraper's token is tested in MetricsTests.
        ("GET", "/metrics", [.admin], 200),
        ("GET", "/login", Set(Caller.allCases), 200),
        ("GET", "/", users, 303),
        ("GET", "/review", users, 200),
        ("GET", "/review/:id", users, 200),
        ("POST", "/review/bulk", users, 303),
        ("POST", "/review/:id/claim", users, 200),
        ("POST", "/review/:id/release", users, 303),
        ("POST", "/review/:id/approve", users, 303),
        ("POST", "/review/:id/edit", users, 303),
        ("POST", "/review/:id/reject", users, 303),
        // An SDR undoes their own decisions (the walk decides each email as its caller first).
        ("POST", "/review/:id/undo", users, 303),
        ("GET", "/clients", users, 200),
        ("GET", "/clients/:id", users, 200),
        // The client form; the walk's form has no export hour (422).
        ("GET", "/clients/new", managers, 200),
        ("POST", "/clients", managers, 422),
        // The walk's form is not a multipart upload.
        ("POST", "/clients/upload", managers, 400),
        ("GET", "/clients/:id/edit", managers, 200),
        ("POST", "/clients/:id/edit", managers, 422),
        // The walk's form names no budget (both become "no limit", as they were) and no key role (422);
        // its :key is no key.
        ("POST", "/clients/:id/budgets", managers, 303),
        // Templates: the walk's form holds no template text (422); its :template is none (404).
        ("GET", "/clients/:id/templates/new", managers, 200),
        ("POST", "/clients/:id/templates", managers, 422),
        ("GET", "/clients/:id/templates/:template/edit", managers, 404),
        ("POST", "/clients/:id/templates/:template/edit", managers, 404),
        ("POST", "/clients/:id/templates/:template/retire", managers, 404),
        ("POST", "/clients/:id/templates/:template/restore", managers, 404),
        ("POST", "/clients/:id/keys", managers, 422),
        ("POST", "/clients/:id/keys/:key/revoke", managers, 404),
        // The suppression list: the walk's form names no address (422); its :entry is none (404).
        ("POST", "/clients/:id/suppressions", managers, 422),
        ("POST", "/clients/:id/suppressions/:entry/remove", managers, 404),
        // The team: `:id` is the walk's target, an SDR of the seeded client; the form names no email
        // and no role (422); no invitation exists.
        ("GET", "/team", managers, 200),
        ("POST", "/team/invitations", managers, 422),
        ("POST", "/team/invitations/:id/resend", managers, 404),
        ("POST", "/team/invitations/:id/revoke", managers, 404),
        ("GET", "/team/users/:id", managers, 200),
        ("POST", "/team/users/:id", managers, 422),
        ("POST", "/team/users/:id/reset", managers, 200),
        ("POST", "/team/users/:id/deactivate", managers, 303),
        ("POST", "/team/users/:id/reactivate", managers, 303),
        // One's own account (the walk's form has no current password: 422).
        ("GET", "/account", users, 200),
        ("POST", "/account/password", users, 422),
        ("POST", "/account/sessions/end", users, 303),
        // A one-time link's page: open; the walk's token is none.
        ("GET", "/set-password/:token", Set(Caller.allCases), 404),
        // A sequencer's webhook: the token in the path is the credential, whoever calls; the walk's is none.
        ("POST", "/hooks/instantly/:token", Set(Caller.allCases), 404),
        ("POST", "/hooks/smartlead/:token", Set(Caller.allCases), 404),
        ("GET", "/import", managers, 200),
        ("POST", "/import", managers, 303),
        ("GET", "/batches/:id", managers, 200),
        ("GET", "/audit", [.admin], 200),
        ("GET", "/bench/ceiling", users, 200),
        ("GET", "/dashboard", users, 200),
        ("GET", "/dashboard/csv", users, 200),
        ("GET", "/dashboard/chart", users, 422),
        ("GET", "/rollout", managers, 200),
        ("POST", "/rollout/pause", managers, 303),
        ("POST", "/rollout/resume", managers, 303),
        ("GET", "/clients/:id/rollout", managers, 200),
        ("POST", "/clients/:id/rollout/phase", managers, 303),
        ("POST", "/clients/:id/rollout/settings", managers, 303),
        ("POST", "/clients/:id/rollout/pause", managers, 303),
        ("POST", "/clients/:id/rollout/resume", managers, 303),
        // The walk's forms name no variant and no winner: the page again with the problem.
        ("GET", "/clients/:id/prompts", managers, 200),
        ("POST", "/clients/:id/prompts/experiment", managers, 422),
        ("POST", "/clients/:id/prompts/experiment/end", managers, 422),
        ("GET", "/clients/:id/export", managers, 200),
        // The walk's form carries no export hour: the page again with the problem.
        ("POST", "/clients/:id/export/settings", managers, 422),
        // The walk's app has no secret key: both say so on the export page.
        ("POST", "/clients/:id/export/connection", managers, 303),
        ("POST", "/clients/:id/export/connection/remove", managers, 303),
        // The walk's client has no sequencer key: run now answers with a notice.
        ("POST", "/clients/:id/export/run", managers, 303),
        ("POST", "/clients/:id/export/activate", managers, 303),
        ("POST", "/clients/:id/export/csv", managers, 303),
        // The webhook address, shown once on the export page.
        ("POST", "/clients/:id/export/webhook", managers, 201),
        // The walk's app has no secret key: both say so on the export page.
        ("POST", "/clients/:id/export/webhook/resume", managers, 303),
        ("POST", "/clients/:id/export/outcomes", managers, 303),
        // The walk's form is not a multipart upload.
        ("POST", "/clients/:id/export/outcomes/upload", managers, 400),
        // The walk's ids name no export run.
        ("GET", "/exports/:id/csv", managers, 404),
        ("POST", "/exports/:id/confirm", managers, 404),
        ("POST", "/exports/:id/cancel", managers, 404),
        ("POST", "/exports/:id/abandon", managers, 404),
        ("POST", "/exports/:id/emails/:email/remove", managers, 404),
        ("GET", "/api/v1/emails", users.union(keys), 200),
        ("GET", "/api/v1/emails/:id", users.union(keys), 200),
        ("POST", "/api/v1/emails/:id/approve", users.union(keys), 200),
        ("POST", "/api/v1/emails/:id/edit", users.union(keys), 200),
        ("POST", "/api/v1/emails/:id/reject", users.union(keys), 200),
        ("GET", "/api/v1/analytics", users.union(keys), 200),
        ("GET", "/api/v1/outcomes", users.union(keys), 200),
        // Rollout, jobs and exports: managers' sessions and manager keys; a reviewer key is refused.
        ("GET", "/api/v1/clients/:client/rollout", managers.union([.managerKey]), 200),
        ("PUT", "/api/v1/clients/:client/rollout", managers.union([.managerKey]), 200),
        // The walk's body names no template (422); the job read is the seeded batch.
        ("POST", "/api/v1/campaigns/generate", managers.union([.managerKey]), 422),
        ("GET", "/api/v1/campaigns/:id", managers.union([.managerKey]), 200),
        ("GET", "/api/v1/exports", managers.union([.managerKey]), 200),
        // The walk's JSON body names no client (422); its ids name no export run (404).
        ("POST", "/api/v1/exports", managers.union([.managerKey]), 422),
        ("GET", "/api/v1/exports/:id", managers.union([.managerKey]), 404),
        ("DELETE", "/api/v1/exports/:id/emails/:email", managers.union([.managerKey]), 404),
        // Last, and together: archiving the walk's client, then restoring it (admins only).
        ("POST", "/clients/:id/archive", [.admin], 303),
        ("POST", "/clients/:id/restore", [.admin], 303),
    ]

    @Test("the table covers every route the policy knows and every route the router registered")
    func tableCoversPolicy() async throws {
        let policy = Set(RoutePolicy.routes.map { "\($0.method.rawValue) \($0.pattern)" })
        let tested = Set(Self.table.map { "\($0.0) \($0.1)" }).union(["POST /login", "POST /logout", "POST /set-password/:token"])
        #expect(policy == tested)
        try await TestDatabase.with(.sqlite) { database in
            let router = try await buildRouter(
                configuration: AppConfiguration(paths: TestDatabase.paths, bcryptCost: 4, benchCeiling: true), database: database)
            let registered = Set(
                router.routes.map {
                    "\($0.method.rawValue) "
                        + $0.path.description.replacingOccurrences(of: #"\{([a-z]+)\}"#, with: ":$1", options: .regularExpression)
                })
            #expect(
                registered == tested,
                "routes the router serves but the table lacks: \(registered.subtracting(tested)); in the table only: \(tested.subtracting(registered))"
            )
        }
    }

    @Test("every route answers every caller as the table says", arguments: DatabaseDialect.allCases)
    func walk(_ dialect: DatabaseDialect) async throws {
        try await withApp(dialect, benchCeiling: true) { database, client in
            let seed = try await Seed.make(database, contacts: 700)
            let key = try await APIKeyRepository(database: database).create(clientID: seed.clientID, name: "walk")
            let managerKey = try await APIKeyRepository(database: database).create(clientID: seed.clientID, name: "walk-manager", role: .manager)
            var clients: [Caller: WebClient] = [:]
            var userIDs: [Caller: Int] = [:]
            for caller in Caller.allCases {
                var web = WebClient(client)
                if let role = caller.role {
                    userIDs[caller] = try await Seed.user(
                        database, email: "\(caller.rawValue)@team.example", role: role, clients: caller == .unassigned ? [] : nil
                    ).id
                    let login = try await web.login("\(caller.rawValue)@team.example")
                    #expect(login.status == .seeOther)
                }
                clients[caller] = web
            }
            let ids = try await database.read { sql in
                try await sql.raw("SELECT id FROM generated_emails WHERE status = 'pending_review' ORDER BY id").all().map {
                    try $0.decode(column: "id", as: Int.self)
                }
            }
            #expect(ids.count >= Self.table.count * Caller.allCases.count, "an untouched email for every request")
            let target = try await Seed.user(database, email: "target@team.example", role: .sdr, clients: [seed.clientID]).id
            var next = 0
            for (method, pattern, allowed, expected) in Self.table {
                for caller in Caller.allCases {
                    var web = clients[caller]!
                    let id = ids[next % ids.count]
                    next += 1
                    if pattern.hasSuffix("/undo") {
                        _ = try await ReviewDecider(database: database).decide(
                            .approve, emailID: id, by: Reviewer(id: userIDs[caller], name: caller.rawValue))
                    }
                    let path = pattern.replacingOccurrences(of: ":client", with: String(seed.clientID)).replacingOccurrences(
                        of: ":id",
                        with: String(
                            pattern.hasPrefix("/clients")
                                ? seed.clientID
                                : pattern.hasPrefix("/team/")
                                    ? target : pattern.hasPrefix("/batches") || pattern.hasPrefix("/api/v1/campaigns") ? seed.batchID : id))
                    var headers: HTTPFields = [.accept: path.hasPrefix("/api/") ? "application/json" : "text/html"]
                    if caller == .apiKey { headers[.authorization] = "Bearer \(key)" }
                    if caller == .managerKey { headers[.authorization] = "Bearer \(managerKey)" }
                    if !web.csrf.isEmpty { headers[CSRFHeader.name] = web.csrf }
                    var body: String?
                    var contentType: String?
                    if method == "PUT" {
                        body = #"{"reason": "walk"}"#
                        contentType = "application/json"
                    } else if method == "POST" {
                        if path.hasPrefix("/api/") {
                            body = #"{"body": "Hello.", "reason": "other"}"#
                            contentType = "application/json"
                        } else if path == "/import" {
                            body = ImportPageTests.multipart(
                                boundary: "b0undary", fields: [("template", String(seed.templateID))],
                                file: ("x.csv", "email,company\nwalk\(caller)@x.example,X\n"))
                            contentType = "multipart/form-data; boundary=b0undary"
                        } else {
                            body = "body=Hello.&reason=other&action=approve&phase=partial&confirm=yes&ids%5B%5D=\(id)"
                            contentType = "application/x-www-form-urlencoded"
                        }
                    }
                    let page = try await web.request(
                        path, method: HTTPRequest.Method(rawValue: method)!, headers: headers, body: body, contentType: contentType)
                    let deniedStatus =
                        page.status == .unauthorized || page.status == .forbidden
                        || (page.status == .seeOther && page.location?.hasPrefix("/login") == true)
                    if allowed.contains(caller) {
                        // A logged-in user asking for the login page is sent on to the queue.
                        var expected = pattern == "/login" && Self.users.contains(caller) ? 303 : expected
                        if caller == .unassigned, let differs = Self.unassignedAnswers["\(method) \(pattern)"] { expected = differs }
                        #expect(
                            Int(page.status.code) == expected,
                            "\(caller) \(method) \(pattern) should answer \(expected), got \(page.status.code): \(page.text.prefix(300))")
                    } else {
                        #expect(deniedStatus, "\(caller) \(method) \(pattern) should be refused, got \(page.status.code)")
                        if caller == .anonymous {
                            #expect(page.status == (path.hasPrefix("/api/") || path == "/metrics" ? .unauthorized : .seeOther))
                        } else if Self.keys.contains(caller), pattern == "/clients/:id/archive" {
                            // The admin archived the client a moment before: its keys are no callers any more.
                            #expect(page.status == .seeOther && page.location?.hasPrefix("/login") == true)
                        } else {
                            #expect(page.status == .forbidden, "\(caller) \(method) \(pattern): \(page.status.code) \(page.location ?? "")")
                        }
                    }
                }
            }
        }
    }
}
