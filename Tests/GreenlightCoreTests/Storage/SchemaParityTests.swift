import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import Testing
import GreenlightTestSupport

/// Proves the SQLite and PostgreSQL migration sets build the same schema, table by table: columns with
/// their type, nullability and default, the primary key, foreign keys with their ON DELETE action,
/// CHECK constraints with their allowed values, and unique constraints and indexes (columns in order,
/// unique or not, partial or not). The search index's tables differ on purpose and are left out.
/// What counts as an engine difference rather than a drift is listed on ``TableDescription``.
@Suite("Migrations: the two dialects build the same schema")
struct SchemaParityTests {
    typealias Check = TableDescription.Check
    typealias Index = TableDescription.Index
    typealias ForeignKey = TableDescription.ForeignKey

    @Test("every table is described alike on SQLite and PostgreSQL")
    func dialectsDescribeTheSameTables() async throws {
        let sqlite = try await TestDatabase.with(.sqlite) { try await SchemaDescription.read($0) }
        let postgres = try await TestDatabase.with(.postgres) { try await SchemaDescription.read($0) }
        #expect(sqlite.keys.sorted() == postgres.keys.sorted())
        for table in sqlite.keys.sorted() {
            guard let left = sqlite[table], let right = postgres[table] else { continue }
            #expect(left.columns.keys.sorted() == right.columns.keys.sorted(), "columns of \(table)")
            for column in left.columns.keys.sorted() where right.columns[column] != nil {
                #expect(
                    left.columns[column] == right.columns[column],
                    "\(table).\(column): SQLite \(left.columns[column]!), PostgreSQL \(right.columns[column]!)")
            }
            #expect(left.primaryKey == right.primaryKey, "primary key of \(table)")
            #expect(left.foreignKeys == right.foreignKeys, "foreign keys of \(table):\nSQLite \(left.foreignKeys)\nPostgreSQL \(right.foreignKeys)")
            #expect(left.checks == right.checks, "checks of \(table):\nSQLite \(left.checks)\nPostgreSQL \(right.checks)")
            #expect(left.indexes == right.indexes, "indexes of \(table):\nSQLite \(left.indexes)\nPostgreSQL \(right.indexes)")
        }
    }

    /// Facts read from the migration files by hand, so a reader that saw nothing would not pass the comparison above.
    @Test("the description holds what the migrations say", arguments: DatabaseDialect.allCases)
    func descriptionIsNotEmpty(_ dialect: DatabaseDialect) async throws {
        let schema = try await TestDatabase.with(dialect) { try await SchemaDescription.read($0) }
        let users = try #require(schema["users"])
        #expect(users.columns["id"] == TableDescription.Column(type: "integer", nullable: false, defaultValue: "autoincrement"))
        #expect(users.columns["disabled_at"] == TableDescription.Column(type: "integer", nullable: true, defaultValue: nil))
        #expect(users.checks == [Check(columns: "role", literals: ["'admin'", "'manager'", "'sdr'"])])
        #expect(users.indexes == [Index(name: nil, columns: ["email"], unique: true, predicate: nil)])

        let clients = try #require(schema["clients"])
        #expect(clients.columns["timezone"] == TableDescription.Column(type: "text", nullable: false, defaultValue: "'UTC'"))
        #expect(clients.columns["export_hour"] == TableDescription.Column(type: "integer", nullable: false, defaultValue: "14"))
        #expect(clients.columns["website"]?.defaultValue == "''")

        let batches = try #require(schema["contact_batches"])
        #expect(
            batches.checks.contains(Check(columns: "status", literals: ["'failed'", "'generated'", "'generating'", "'imported'", "'importing'"])))
        #expect(batches.foreignKeys.contains(ForeignKey(column: "template_id", target: "templates.id", onDelete: "no action")))
        #expect(schema["contacts"]?.foreignKeys.contains(ForeignKey(column: "batch_id", target: "contact_batches.id", onDelete: "cascade")) == true)
        #expect(schema["templates"]?.indexes.contains(Index(name: nil, columns: ["client_id", "name"], unique: true, predicate: nil)) == true)

        let emails = try #require(schema["generated_emails"])
        #expect(emails.checks.contains(Check(columns: "quality_score", literals: ["0", "100"])))
        #expect(
            emails.indexes.contains(
                Index(
                    name: "generated_emails_awaiting", columns: ["quality_score", "created_at", "id"], unique: false,
                    predicate: ["'pending_review'", "'sampled'"])))
        #expect(
            emails.indexes.contains(
                Index(name: "generated_emails_queue", columns: ["status", "quality_score", "created_at", "id"], unique: false, predicate: nil)))

        #expect(schema["user_clients"]?.primaryKey == ["user_id", "client_id"])
        #expect(schema["sessions"]?.columns["key_hash"]?.nullable == false)
        #expect(schema.values.allSatisfy { table in table.columns.values.allSatisfy { !$0.type.hasPrefix("unknown") } })
    }

    @Test("the normaliser maps each engine's spelling to one word")
    func normaliser() {
        #expect(
            ["INTEGER", "BIGINT", "int8", "bigint", "integer", "smallint"].map(SchemaDescription.normaliseType)
                == Array(repeating: "integer", count: 6))
        #expect(["TEXT", "VARCHAR(40)", "character varying", "text"].map(SchemaDescription.normaliseType) == Array(repeating: "text", count: 4))
        #expect(["REAL", "DOUBLE PRECISION", "double precision"].map(SchemaDescription.normaliseType) == Array(repeating: "real", count: 3))
        #expect(["BOOLEAN", "boolean"].map(SchemaDescription.normaliseType) == ["boolean", "boolean"])
        #expect(SchemaDescription.normaliseDefault("''::text") == "''")
        #expect(SchemaDescription.normaliseDefault("'{}'::text") == "'{}'")
        #expect(SchemaDescription.normaliseDefault("nextval('users_id_seq'::regclass)") == "autoincrement")
        #expect(SchemaDescription.normaliseDefault(nil) == nil)
        #expect(SchemaDescription.literals(in: "CHECK ((role = ANY (ARRAY['sdr'::text, 'manager'::text])))") == ["'manager'", "'sdr'"])
        #expect(SchemaDescription.literals(in: "quality_score BETWEEN 0 AND 100") == ["0", "100"])
        #expect(
            SchemaDescription.checkExpressions(inCreateTable: "CREATE TABLE t (a TEXT CHECK (a IN ('x)', 'y')), b BIGINT CHECK (b > (1)))")
                == ["a IN ('x)', 'y')", "b > (1)"])
    }
}
