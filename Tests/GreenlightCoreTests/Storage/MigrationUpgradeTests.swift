import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

/// Proves an upgrade keeps what an older release wrote: for every earlier schema version N (whatever
/// migration files exist), a database migrated only to N gets one row of each kind an app of that age
/// writes, is migrated to the latest version, and the rows are read back through the app's own
/// repositories (users, sessions, clients, templates, the queue, an email and its history) — and
/// the upgraded database still takes new imports, drafts and decisions.
@Suite("Migrations: upgrading from every earlier version keeps the data")
struct MigrationUpgradeTests {
    /// Every version but the latest: the versions a database may be upgraded from.
    static let olderVersions: [Int] = {
        let versions = (try? Migrator(migrationsRoot: TestDatabase.paths.migrations, dialect: .sqlite).migrations().map(\.version)) ?? []
        return Array(versions.dropLast())
    }()

    @Test("the versions upgraded from are read from Migrations/: every one but the latest, none lost to a read failure")
    func readsEveryVersion() throws {
        let versions = try Migrator(migrationsRoot: TestDatabase.paths.migrations, dialect: .sqlite).migrations().map(\.version)
        #expect(versions.count >= 21 && versions == Array(1...versions.count), "\(versions)")
        #expect(Self.olderVersions == Array(versions.dropLast()))
    }

    static let password = "correct horse battery"
    static let sessionKey = "session-from-an-older-release"

    /// Ids of the rows written at the older version.
    struct OldRows: Sendable {
        var user: Int
        var client: Int
        var template: Int
        var batch: Int
        var pendingEmail: Int
        var approvedEmail: Int
    }

    @Test(
        "rows written at version N are readable after migrating to the latest", arguments: DatabaseDialect.allCases,
        MigrationUpgradeTests.olderVersions)
    func upgradeKeepsRows(_ dialect: DatabaseDialect, from version: Int) async throws {
        let migrator = Migrator(migrationsRoot: TestDatabase.paths.migrations, dialect: dialect)
        let all = try migrator.migrations().map(\.version)
        try await TestDatabase.withUnmigrated(dialect) { database in
            #expect(try await migrator.migrate(database, upTo: version, logger: TestDatabase.logger) == all.filter { $0 <= version })
            let old = try await Self.writeOldRows(database)
            #expect(try await migrator.migrate(database, logger: TestDatabase.logger) == all.filter { $0 > version })

            let users = UserRepository(database: database, hasher: PasswordHasher(cost: 4))
            let user = try #require(try await users.authenticate(email: "old.manager@example.com", password: Self.password))
            #expect(user.id == old.user && user.role == .manager && user.name == "Old Manager")
            let session = try await SQLPersistDriver(database: database).get(key: Self.sessionKey, as: UserSession.self)
            #expect(session?.userID == old.user && session?.csrfToken == "old-csrf-token")
            let signedIn = try await SQLPersistDriver(database: database).signedIn(key: Self.sessionKey)
            #expect(signedIn?.user.id == old.user && signedIn?.clientIDs == [old.client] && signedIn?.session.csrfToken == "old-csrf-token")

            #expect(try await ClientRepository(database: database).find(id: old.client)?.name == "Oldco")
            #expect(try await TemplateRepository(database: database).find(id: old.template)?.template.subject == "About {{company_name}}")

            let queue = ReviewQueue(database: database)
            #expect(try await queue.page(QueueFilter()).emails.map(\.id) == [old.pendingEmail])
            #expect(
                try await queue.page(QueueFilter(search: "zebrafinch")).emails.map(\.id) == [old.pendingEmail], "the search index holds old drafts")
            let approved = try #require(try await EmailRepository(database: database).summary(id: old.approvedEmail))
            #expect(approved.status == .approved && approved.reviewerName == "Old Manager" && approved.batchID == old.batch)
            #expect(approved.score.version == "qs-1" && approved.qualityScore == 91)
            #expect(try await EmailRepository(database: database).history(emailID: old.approvedEmail).map(\.action) == ["approve"])

            // The upgraded database goes on working: a decision on the old draft, a new import and its drafts.
            let outcome = try await ReviewDecider(database: database).decide(
                .approve, emailID: old.pendingEmail, by: Reviewer(id: old.user, name: "Old Manager"))
            #expect(outcome.status == .approved)
            #expect(try await EmailRepository(database: database).history(emailID: old.pendingEmail).map(\.action) == ["approve"])
            let report = try await ContactImporter(database: database).importCSV(
                .bytes(Array(Seed.csv(3, domain: "Newco").utf8)), fileName: "new.csv",
                clientID: old.client, templateID: old.template)
            _ = try await DraftGenerator(database: database).generate(batchID: report.batchID)
            #expect(try await queue.page(QueueFilter()).emails.count == 3)
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contacts WHERE batch_id = \(old.batch)") == 2)
        }
    }

    /// One row of each kind, written with the columns that existed at version 1, as an old release did.
    static func writeOldRows(_ database: Database) async throws -> OldRows {
        let hash = try await PasswordHasher(cost: 4).hash(password)
        let sessionHash = SecureToken.sha256(sessionKey)
        let metrics = #"{"deductions":[{"code":"fallback","detail":"old","points":9}],"score":91,"version":"qs-1","word_count":3}"#
        return try await database.write { sql in
            func id(_ query: SQLQueryString) async throws -> Int {
                try await sql.raw(query + " RETURNING id").first().map { try $0.decode(column: "id", as: Int.self) } ?? -1
            }
            let t = 1_700_000_000_000
            let user = try await id(
                "INSERT INTO users (email, name, password_hash, role, created_at) VALUES ('old.manager@example.com', 'Old Manager', \(bind: hash), 'manager', \(bind: t))"
            )
            let client = try await id("INSERT INTO clients (name, created_at, updated_at) VALUES ('Oldco', \(bind: t), \(bind: t))")
            try await sql.raw("INSERT INTO user_clients (user_id, client_id) VALUES (\(bind: user), \(bind: client))").run()
            let sessionText = String(
                decoding: try JSONEncoder().encode(UserSession(userID: user, csrfToken: "old-csrf-token", createdAt: TimeSource.system.nowMillis())),
                as: UTF8.self)
            try await sql.raw(
                "INSERT INTO sessions (key_hash, user_id, value, expires_at) VALUES (\(bind: sessionHash), \(bind: user), \(bind: sessionText), \(bind: TimeSource.system.nowMillis() + 3_600_000))"
            ).run()
            let template = try await id(
                """
                INSERT INTO templates (client_id, name, strategy, subject, body, variables_json, created_at)
                VALUES (\(bind: client), 'Old template', 'cold_email', 'About {{company_name}}', 'Hello {{first_name}}', '["company_name","first_name"]', \(bind: t))
                """)
            let batch = try await id(
                """
                INSERT INTO contact_batches (client_id, template_id, file_name, status, rows_total, rows_imported, rows_skipped, created_by, created_at, generated_at)
                VALUES (\(bind: client), \(bind: template), 'old.csv', 'generated', 2, 2, 0, \(bind: user), \(bind: t), \(bind: t))
                """)
            var emails: [Int] = []
            for (index, status) in ["pending_review", "approved"].enumerated() {
                let contact = try await id(
                    """
                    INSERT INTO contacts (client_id, batch_id, row_number, first_name, last_name, email, email_normalized, company_name, website, linkedin_url, industry, status, created_at)
                    VALUES (\(bind: client), \(bind: batch), \(bind: index + 2), 'Ada', \(bind: "Old\(index)"), \(bind: "ada\(index)@old.example"),
                    \(bind: "ada\(index)@old.example"), \(bind: "Zebrafinch \(index)"), '', '', 'Retail', 'completed', \(bind: t))
                    """)
                let approved = status == "approved"
                emails.append(
                    try await id(
                        """
                        INSERT INTO generated_emails (client_id, contact_id, template_id, batch_id, contact_name, company_name, contact_email, subject, body,
                        variables_json, metrics_json, quality_score, score_version, search_text, status, reviewer_id, reviewer_name, reviewed_at, created_at)
                        VALUES (\(bind: client), \(bind: contact), \(bind: template), \(bind: batch), 'Ada Old', 'Zebrafinch', 'ada@old.example', 'About Zebrafinch',
                        'Hello Ada', '[]', \(bind: metrics), 91, 'qs-1', \(bind: approved ? "ada zebrafinch hello" : "ada zebrafinch hello pending"), \(bind: status),
                        \(bind: approved ? user : nil), \(bind: approved ? "Old Manager" : nil), \(bind: approved ? t : nil), \(bind: t + index))
                        """))
            }
            try await sql.raw(
                """
                INSERT INTO review_events (email_id, client_id, user_id, actor_name, action, review_ms, created_at)
                VALUES (\(bind: emails[1]), \(bind: client), \(bind: user), 'Old Manager', 'approve', 4200, \(bind: t))
                """
            ).run()
            return OldRows(user: user, client: client, template: template, batch: batch, pendingEmail: emails[0], approvedEmail: emails[1])
        }
    }
}
