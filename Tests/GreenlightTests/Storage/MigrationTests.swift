import Greenlight
import SQLKit
import Testing

@Suite("Migrations")
struct MigrationTests {
    /// Table → sorted column names, read from the engine's own catalogue.
    static func schema(_ database: Database) async throws -> [String: [String]] {
        try await database.read { sql in
            var result: [String: [String]] = [:]
            switch database.dialect {
            case .sqlite:
                let tables = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'email_search%'").all()
                for table in tables {
                    let name = try table.decode(column: "name", as: String.self)
                    let columns = try await sql.raw("SELECT name FROM pragma_table_info(\(bind: name))").all()
                    result[name] = try columns.map { try $0.decode(column: "name", as: String.self) }.sorted()
                }
            case .postgres:
                // The search index's tables differ by design (FTS5 on SQLite, email_search_text with a GIN index on PostgreSQL).
                let rows = try await sql.raw("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE 'email_search%'").all()
                for row in rows {
                    result[try row.decode(column: "table_name", as: String.self), default: []].append(try row.decode(column: "column_name", as: String.self))
                }
                result = result.mapValues { $0.sorted() }
            }
            return result
        }
    }

    @Test("both dialect sets define the same tables and columns")
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
            for statement in migrations.flatMap(\.statements) where statement.uppercased().hasPrefix("CREATE TABLE") {
                let name = statement.dropFirst("CREATE TABLE ".count).prefix { $0 != " " && $0 != "(" }
                if name.hasPrefix("email_search") { continue }  // left out of `schema` on purpose; searchUsesTheIndex covers them
                #expect(schema[String(name)] != nil, "table \(name) was not created")
            }
            let applied = try await Migrator(migrationsRoot: TestDatabase.paths.migrations, dialect: dialect).migrate(database, logger: TestDatabase.logger)
            #expect(applied.isEmpty, "a second run applies nothing")
        }
    }

    @Test("statements are split at line-ending semicolons, trigger bodies stay whole, comments are dropped")
    func splitting() {
        let statements = Migrator.statements(in: "-- a comment\nCREATE TABLE a (x TEXT DEFAULT 'a;b');\n\nCREATE INDEX i ON a (x);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n  INSERT INTO b VALUES (1);\n  INSERT INTO b VALUES (2);\nEND;\n")
        #expect(statements == ["CREATE TABLE a (x TEXT DEFAULT 'a;b')", "CREATE INDEX i ON a (x)",
                               "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  INSERT INTO b VALUES (1);\n  INSERT INTO b VALUES (2);\nEND"])
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
            try await database.write { sql in try await sql.raw("UPDATE generated_emails SET search_text = 'renamed zebra' WHERE id = \(bind: found[0].id)").run() }
            #expect(try await ReviewQueue(database: database).page(QueueFilter(search: "zebra")).emails.map(\.id) == [found[0].id], "the index follows updates")
        }
    }
}
