import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import SQLKit
import Testing
import GreenlightTestSupport

@Suite("Migrations")
struct MigrationTests {
    /// Table → sorted column names, read from the engine's own catalogue.
    static func schema(_ database: Database) async throws -> [String: [String]] {
        try await database.read { sql in
            var result: [String: [String]] = [:]
            switch database.dialect {
            case .sqlite:
                let tables = try await sql.raw(
                    "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'email_search%'"
                ).all()
                for table in tables {
                    let name = try table.decode(column: "name", as: String.self)
                    let columns = try await sql.raw("SELECT name FROM pragma_table_info(\(bind: name))").all()
                    result[name] = try columns.map { try $0.decode(column: "name", as: String.self) }.sorted()
                }
            case .postgres:
                // The search index's tables differ by design (FTS5 on SQLite, email_search_text with a GIN index on PostgreSQL).
                let rows = try await sql.raw(
                    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE 'email_search%'"
                ).all()
                for row in rows {
                    result[try row.decode(column: "table_name", as: String.self), default: []].append(
                        try row.decode(column: "column_name", as: String.self))
                }
                result = result.mapValues { $0.sorted() }
            }
            return result
        }
    }

    @Test("both dialect sets define the same tables and views, with the same columns")
    func dialectsAgree() async throws {
        let sqlite = try await TestDatabase.with(.sqlite) { try await Self.schema($0) }
        let postgres = try await TestDatabase.with(.postgres) { try await Self.schema($0) }
        #expect(sqlite.keys.sorted() == postgres.keys.sorted())
        for table in sqlite.keys.sorted() {
            #expect(sqlite[table] == postgres[table], "columns of \(table) differ")
        }
        #expect(sqlite["generated_emails"]?.contains("quality_score") == true)
        #expect(sqlite.count >= 15)
    }

    @Test("the same files exist for both dialects, and every statement ran", arguments: DatabaseDialect.allCases)
    func everyStatementRan(_ dialect: DatabaseDialect) async throws {
        let sqliteFiles = try Migrator(migrationsRoot: TestDatabase.paths.migrations, dialect: .sqlite).migrations()
        let postgresFiles = try Migrator(migrationsRoot: TestDatabase.paths.migrations, dialect: .postgres).migrations()
        #expect(sqliteFiles.map(\.version) == postgresFiles.map(\.version))
        #expect(sqliteFiles.map(\.name) == postgresFiles.map(\.name))
        try await TestDatabase.with(dialect) { database in
            let schema = try await Self.schema(database)
            let migrations = try Migrator(migrationsRoot: TestDatabase.paths.migrations, dialect: dialect).migrations()
            for name in Self.tablesLeft(by: migrations.flatMap(\.statements)) where !name.hasPrefix("email_search") {
                // The search index's tables are left out of `schema` on purpose; searchUsesTheIndex covers them.
                #expect(schema[name] != nil, "table \(name) was not created")
            }
            let applied = try await Migrator(migrationsRoot: TestDatabase.paths.migrations, dialect: dialect).migrate(
                database, logger: TestDatabase.logger)
            #expect(applied.isEmpty, "a second run applies nothing")
        }
    }

    /// The tables the statements leave behind: created, less those dropped, under their names after any rename.
    static func tablesLeft(by statements: [String]) -> Set<String> {
        func word(_ text: Substring) -> String { String(text.prefix { $0 != " " && $0 != "(" && $0 != "\n" }) }
        var tables = Set<String>()
        for statement in statements {
            let upper = statement.uppercased()
            if upper.hasPrefix("CREATE TABLE ") {
                tables.insert(word(statement.dropFirst("CREATE TABLE ".count)))
            } else if upper.hasPrefix("DROP TABLE ") {
                tables.remove(word(statement.dropFirst("DROP TABLE ".count)))
            } else if upper.hasPrefix("ALTER TABLE "), let range = upper.range(of: " RENAME TO ") {
                tables.remove(word(statement.dropFirst("ALTER TABLE ".count)))
                tables.insert(word(statement[range.upperBound...]))
            }
        }
        return tables
    }

    @Test("0005 lets batches be 'importing' and keeps existing batches, contacts and their links", arguments: DatabaseDialect.allCases)
    func importingStatus(_ dialect: DatabaseDialect) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("greenlight-migrations-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for name in try FileManager.default.contentsOfDirectory(atPath: TestDatabase.paths.migrations + "/" + dialect.rawValue) where name < "0005" {
            let folder = root.appendingPathComponent(dialect.rawValue)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                atPath: TestDatabase.paths.migrations + "/" + dialect.rawValue + "/" + name, toPath: folder.appendingPathComponent(name).path)
        }
        try await TestDatabase.withUnmigrated(dialect) { database in
            try await Migrator(migrationsRoot: root.path, dialect: dialect).migrate(database, logger: TestDatabase.logger)
            try await database.write { sql in
                try await sql.raw("INSERT INTO clients (id, name, created_at, updated_at) VALUES (1, 'C', 0, 0)").run()
                try await sql.raw(
                    "INSERT INTO templates (id, client_id, name, strategy, subject, body, created_at) VALUES (1, 1, 'T', 'cold_email', 'S', 'B', 0)"
                ).run()
                try await sql.raw(
                    "INSERT INTO contact_batches (id, client_id, template_id, file_name, status, rows_total, rows_imported, rows_skipped, created_at) VALUES (7, 1, 1, 'old.csv', 'generated', 1, 1, 0, 0)"
                ).run()
                try await sql.raw(
                    """
                    INSERT INTO contacts (id, client_id, batch_id, row_number, first_name, last_name, email, email_normalized, company_name, website, linkedin_url, industry, status, created_at)
                    VALUES (1, 1, 7, 2, 'A', 'B', 'a@x.example', 'a@x.example', 'X', '', '', '', 'completed', 0)
                    """
                ).run()
            }
            let applied = try await Migrator(migrationsRoot: TestDatabase.paths.migrations, dialect: dialect).migrate(
                database, logger: TestDatabase.logger)
            #expect(applied.contains(5))
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contacts WHERE batch_id = 7") == 1, "the rebuild did not cascade")
            #expect(try await Seed.count(database, "SELECT rows_total AS n FROM contact_batches WHERE id = 7") == 1)
            try await database.write { sql in
                try await sql.raw(
                    "INSERT INTO contact_batches (id, client_id, template_id, file_name, status, rows_total, rows_imported, rows_skipped, created_at) VALUES (8, 1, 1, 'new.csv', 'importing', 0, 0, 0, 0)"
                ).run()
            }
            await #expect(throws: (any Error).self, "the status is still checked") {
                try await database.write { sql in
                    try await sql.raw("UPDATE contact_batches SET status = 'nonsense' WHERE id = 8").run()
                }
            }
            await #expect(throws: (any Error).self, "contacts still must point at a batch") {
                try await database.write { sql in
                    try await sql.raw("UPDATE contacts SET batch_id = 99 WHERE id = 1").run()
                }
            }
            try await database.write { sql in try await sql.raw("DELETE FROM contact_batches WHERE id = 7").run() }
            #expect(try await Seed.count(database, "SELECT COUNT(*) AS n FROM contacts") == 0, "deleting a batch still deletes its contacts")
        }
    }

    @Test("a dollar-quoted function body stays one statement, its semicolons, BEGIN and comment lines included")
    func dollarQuotes() {
        let text =
            "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    -- kept: inside the body\n    PERFORM g();\n    RETURN NULL;\nEND\n$$;\nCREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW EXECUTE FUNCTION f();\n"
        #expect(
            Migrator.statements(in: text) == [
                "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    -- kept: inside the body\n    PERFORM g();\n    RETURN NULL;\nEND\n$$",
                "CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW EXECUTE FUNCTION f()",
            ])
        #expect(
            Migrator.statements(in: "CREATE FUNCTION h() RETURNS text LANGUAGE sql AS $$ SELECT 'a;' $$;\nSELECT 1;\n") == [
                "CREATE FUNCTION h() RETURNS text LANGUAGE sql AS $$ SELECT 'a;' $$", "SELECT 1",
            ])
    }

    @Test("statements are split at line-ending semicolons, trigger bodies stay whole, comments are dropped")
    func splitting() {
        let statements = Migrator.statements(
            in:
                "-- a comment\nCREATE TABLE a (x TEXT DEFAULT 'a;b');\n\nCREATE INDEX i ON a (x);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n  INSERT INTO b VALUES (1);\n  INSERT INTO b VALUES (2);\nEND;\n"
        )
        #expect(
            statements == [
                "CREATE TABLE a (x TEXT DEFAULT 'a;b')", "CREATE INDEX i ON a (x)",
                "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  INSERT INTO b VALUES (1);\n  INSERT INTO b VALUES (2);\nEND",
            ])
    }

    @Test("each email's search text has a copy of its own, kept in step, which the search's walk reads", arguments: DatabaseDialect.allCases)
    func searchTextCopy(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let seed = try await Seed.make(database, contacts: 6)
            let other = try await Seed.make(database, contacts: 3, clientName: "Other Client")
            func unmatched() async throws -> (emails: Int, copies: Int, differing: Int) {
                try await database.read { sql in
                    let row = try await sql.raw(
                        """
                        SELECT (SELECT COUNT(*) FROM generated_emails) AS emails, (SELECT COUNT(*) FROM email_search_text) AS copies,
                        (SELECT COUNT(*) FROM generated_emails e LEFT JOIN email_search_text s ON s.email_id = e.id
                         WHERE s.search_text IS NULL OR s.search_text <> e.search_text) AS differing
                        """
                    ).first()
                    return (
                        try row?.decode(column: "emails", as: Int.self) ?? 0, try row?.decode(column: "copies", as: Int.self) ?? 0,
                        try row?.decode(column: "differing", as: Int.self) ?? -1
                    )
                }
            }
            var state = try await unmatched()
            #expect(state.emails == 9 && state.copies == 9 && state.differing == 0, "every draft written has its copy: \(state)")
            let ids = try await database.read { sql in
                try await sql.raw("SELECT id FROM generated_emails WHERE client_id = \(bind: seed.clientID) ORDER BY id LIMIT 2").all().map {
                    try $0.decode(column: "id", as: Int.self)
                }
            }
            try await database.write { sql in
                try await sql.raw("UPDATE generated_emails SET search_text = 'renamed quokka' WHERE id = \(bind: ids[0])").run()
            }
            state = try await unmatched()
            #expect(state.differing == 0, "an update reaches the copy: \(state)")
            // The walk reads the copies: two of them say a word their emails do not, and a walk that
            // finds more than its page (one) answers from them alone, without the search index.
            try await database.write { sql in
                try await sql.raw("UPDATE email_search_text SET search_text = 'only the copy says wombat' WHERE email_id IN (\(binds: ids))").run()
            }
            let walked = try await ReviewQueue(database: database).records(QueueFilter(status: .all, search: "wombat"), limit: 1)
            #expect(
                walked.records.count == 1 && walked.next != nil && ids.contains(walked.records[0].id),
                "the walk found both copies: \(walked.records.map(\.id))")
            try await database.write { sql in try await sql.raw("DELETE FROM clients WHERE id = \(bind: other.clientID)").run() }
            state = try await unmatched()
            #expect(state.emails == 6 && state.copies == 6, "a deleted email's copy goes with it: \(state)")
        }
    }

    @Test("search is served by the trigram index", arguments: DatabaseDialect.allCases)
    func searchUsesTheIndex(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            _ = try await Seed.make(database, contacts: 5)
            let plan = try await database.write { sql in
                switch dialect {
                case .sqlite:
                    return try await sql.raw("EXPLAIN QUERY PLAN SELECT rowid FROM email_search WHERE search_text LIKE '%company1%'").all()
                        .map { try $0.decode(column: "detail", as: String.self) }.joined(separator: " ")
                case .postgres:
                    try await sql.raw("SET LOCAL enable_seqscan = off").run()
                    return try await sql.raw("EXPLAIN SELECT email_id FROM email_search_text WHERE search_text LIKE '%company1%'").all()
                        .map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: " ")
                }
            }
            #expect(plan.contains(dialect == .sqlite ? "VIRTUAL TABLE INDEX" : "email_search_text_trigram"), "\(plan)")
            let found = try await ReviewQueue(database: database).page(QueueFilter(search: "company1")).emails
            #expect(!found.isEmpty && found.allSatisfy { $0.companyName.lowercased().contains("company1") })
            try await database.write { sql in
                try await sql.raw("UPDATE generated_emails SET search_text = 'renamed zebra' WHERE id = \(bind: found[0].id)").run()
            }
            #expect(
                try await ReviewQueue(database: database).page(QueueFilter(search: "zebra")).emails.map(\.id) == [found[0].id],
                "the index follows updates")

            guard dialect == .postgres else { return }
            // A long email's text is compressed in its row. Copied by INSERT … SELECT (or COPY), the
            // trigger sees the stored, compressed text; the search's copy must still be stored plain
            // (0017), so the search's walk checks it without decompressing (ReviewQueue.searchWalkQuery).
            let words = String(repeating: "supplier invoices wait for approval at the month close ", count: 28)
            try await database.write { sql in
                try await sql.raw(
                    "UPDATE generated_emails SET body = \(bind: words), search_text = \(bind: words + "zebra") WHERE id = (SELECT MIN(id) FROM generated_emails)"
                ).run()
            }
            try await QueueFixtures.fill(database, clients: [found[0].clientID], rows: 1)
            let stored = try await database.read { sql in
                try await sql.raw(
                    """
                    SELECT e.id, pg_column_compression(e.search_text) AS own, pg_column_compression(s.search_text) AS copy
                    FROM generated_emails e JOIN email_search_text s ON s.email_id = e.id WHERE e.id = (SELECT MAX(id) FROM generated_emails)
                    """
                ).first()
            }
            #expect(
                try stored?.decode(column: "own", as: String?.self) == "pglz",
                "the email's own text is compressed (the case the copy must not inherit)")
            #expect(try stored?.decode(column: "copy", as: String?.self) == nil, "the search's copy is stored uncompressed")
            let copied = try stored?.decode(column: "id", as: Int.self)
            let hits = try await ReviewQueue(database: database).page(QueueFilter(status: .all, search: "close zebra")).emails.map(\.id)
            #expect(hits.count == 2 && copied.map(hits.contains) == true, "the original and its copy: \(hits)")
        }
    }
}
