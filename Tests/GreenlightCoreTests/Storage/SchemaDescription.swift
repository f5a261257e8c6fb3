import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
import GreenlightExport
import GreenlightWeb
import SQLKit

/// One table as both engines can describe it: read from each engine's catalogue, then normalised so
/// that two schemas which behave the same compare equal, and any drift between the migration sets shows.
///
/// What the normaliser absorbs, and why each is an engine difference rather than a drift:
/// - Type spellings: SQLite keeps the declared type (`INTEGER`, `BIGINT`), PostgreSQL its canonical
///   name (`bigint`); both map to one vocabulary (integer, text, real, boolean, blob).
/// - Generated ids: `INTEGER PRIMARY KEY` (SQLite's rowid alias) and `BIGSERIAL` (a `nextval(…)`
///   default) both read as the default `autoincrement`.
/// - Casts in defaults: PostgreSQL stores `''::text` for `''`; the cast is dropped.
/// - Primary-key columns are not null: PostgreSQL says so; SQLite's catalogue reports `notnull = 0`
///   for them, and (a documented SQLite legacy) does let a non-integer primary key hold NULL. The app
///   never writes one, so this is read as the same schema.
/// - Unique constraints are backed by indexes named by the engine (`sqlite_autoindex_users_1`,
///   `users_email_key`): they compare without their names. Indexes made by `CREATE INDEX` keep theirs.
/// - CHECK constraints compare by the columns they name and the literals they allow: PostgreSQL
///   rewrites `x IN ('a', 'b')` as `x = ANY (ARRAY['a'::text, 'b'::text])` and `BETWEEN 0 AND 100` as
///   `x >= 0 AND x <= 100`; the quoted strings and the numbers survive both spellings.
struct TableDescription: Equatable, CustomStringConvertible {
    struct Column: Equatable, CustomStringConvertible {
        var type: String
        var nullable: Bool
        var defaultValue: String?
        var description: String { "\(type)\(nullable ? "" : " not null")\(defaultValue.map { " default \($0)" } ?? "")" }
    }

    struct ForeignKey: Hashable, Comparable, CustomStringConvertible {
        var column: String
        var target: String
        var onDelete: String
        var description: String { "\(column) → \(target) on delete \(onDelete)" }
        static func < (lhs: Self, rhs: Self) -> Bool { lhs.description < rhs.description }
    }

    struct Check: Hashable, Comparable, CustomStringConvertible {
        /// The columns the expression names, sorted and joined by commas.
        var columns: String
        /// Quoted strings and bare numbers in the expression: for an IN list, the allowed values.
        var literals: [String]
        var description: String { "check(\(columns)) \(literals)" }
        static func < (lhs: Self, rhs: Self) -> Bool { lhs.description < rhs.description }
    }

    struct Index: Hashable, Comparable, CustomStringConvertible {
        /// Nil for an index the engine made for a UNIQUE constraint.
        var name: String?
        var columns: [String]
        var unique: Bool
        /// The literals of a partial index's WHERE clause; nil for a full index.
        var predicate: [String]?
        var description: String {
            "\(unique ? "unique " : "")index \(name ?? "(constraint)") (\(columns.joined(separator: ", ")))\(predicate.map { " where \($0)" } ?? "")"
        }
        static func < (lhs: Self, rhs: Self) -> Bool { lhs.description < rhs.description }
    }

    var columns: [String: Column] = [:]
    var primaryKey: [String] = []
    var foreignKeys: [ForeignKey] = []
    var checks: [Check] = []
    var indexes: [Index] = []

    var description: String {
        (columns.keys.sorted().map { "  \($0) \(columns[$0]!)" } + ["  primary key (\(primaryKey.joined(separator: ", ")))"]
            + foreignKeys.map { "  \($0)" } + checks.map { "  \($0)" } + indexes.map { "  \($0)" }).joined(separator: "\n")
    }

    /// Sorts the lists so that reading order does not matter.
    mutating func normalise() {
        foreignKeys.sort()
        checks.sort()
        indexes.sort()
    }
}

/// Reads ``TableDescription``s from SQLite's and PostgreSQL's catalogues.
enum SchemaDescription {
    /// Every table but the search index's (FTS5 on SQLite, pg_trgm on PostgreSQL: different on purpose).
    static func read(_ database: Database) async throws -> [String: TableDescription] {
        var tables = try await database.read { sql in
            switch database.dialect {
            case .sqlite: try await readSQLite(sql)
            case .postgres: try await readPostgres(sql)
            }
        }
        for name in tables.keys { tables[name]!.normalise() }
        return tables
    }

    /// One vocabulary for both engines' type names.
    static func normaliseType(_ raw: String) -> String {
        let type = raw.lowercased().trimmingCharacters(in: .whitespaces)
        let base = String(type.prefix { $0 != "(" }).trimmingCharacters(in: .whitespaces)
        switch base {
        case "integer", "int", "bigint", "int8", "int4", "smallint", "int2", "bigserial", "serial": return "integer"
        case "text", "varchar", "character varying", "char", "character", "clob": return "text"
        case "real", "double precision", "float", "float8", "float4", "double", "numeric": return "real"
        case "boolean", "bool": return "boolean"
        case "blob", "bytea": return "blob"
        default: return "unknown(\(raw))"
        }
    }

    /// Drops PostgreSQL's casts (`''::text` → `''`) and calls a sequence default `autoincrement`.
    static func normaliseDefault(_ raw: String?) -> String? {
        guard var value = raw?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if value.lowercased().hasPrefix("nextval(") { return "autoincrement" }
        if let cast = value.range(of: #"::[a-z ]+(\[\])?$"#, options: .regularExpression) { value.removeSubrange(cast) }
        while value.hasPrefix("("), value.hasSuffix(")") { value = String(value.dropFirst().dropLast()) }
        return value
    }

    /// The quoted strings and bare integers of an expression, sorted.
    static func literals(in expression: String) -> [String] {
        var found: [String] = []
        var rest = expression
        let quoted = try! NSRegularExpression(pattern: "'((?:[^']|'')*)'")
        for match in quoted.matches(in: rest, range: NSRange(rest.startIndex..., in: rest)) {
            found.append("'" + String(rest[Range(match.range(at: 1), in: rest)!]) + "'")
        }
        rest = quoted.stringByReplacingMatches(in: rest, range: NSRange(rest.startIndex..., in: rest), withTemplate: " ")
        let number = try! NSRegularExpression(pattern: #"(?<![\w.])-?\d+(?![\w.])"#)
        for match in number.matches(in: rest, range: NSRange(rest.startIndex..., in: rest)) {
            found.append(String(rest[Range(match.range, in: rest)!]))
        }
        return found.sorted()
    }

    /// The names among `columns` that `expression` mentions, sorted and joined.
    static func columnsNamed(in expression: String, among columns: some Collection<String>) -> String {
        let unquoted = expression.replacingOccurrences(of: "'(?:[^']|'')*'", with: " ", options: .regularExpression)
        let words = Set(unquoted.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
        return columns.filter { words.contains($0) }.sorted().joined(separator: ",")
    }

    // MARK: SQLite

    static func readSQLite(_ sql: any SQLDatabase) async throws -> [String: TableDescription] {
        var result: [String: TableDescription] = [:]
        let tables = try await sql.raw(
            """
            SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'email_search%'
            """
        ).all()
        for row in tables {
            let name = try row.decode(column: "name", as: String.self)
            let createSQL = try row.decode(column: "sql", as: String.self)
            var table = TableDescription()
            let columns = try await sql.raw("SELECT name, type, \"notnull\" AS not_null, dflt_value, pk FROM pragma_table_info(\(bind: name))").all()
            var keyed: [(Int, String)] = []
            var declared: [String: String] = [:]
            for column in columns {
                let columnName = try column.decode(column: "name", as: String.self)
                let type = try column.decode(column: "type", as: String.self)
                declared[columnName] = type
                let pk = try column.decode(column: "pk", as: Int.self)
                if pk > 0 { keyed.append((pk, columnName)) }
                let notNull = try column.decode(column: "not_null", as: Int.self) == 1
                let defaultValue = try column.decode(column: "dflt_value", as: String?.self)
                table.columns[columnName] = .init(
                    type: normaliseType(type), nullable: pk == 0 && !notNull, defaultValue: normaliseDefault(defaultValue))
            }
            table.primaryKey = keyed.sorted { $0.0 < $1.0 }.map(\.1)
            // `INTEGER PRIMARY KEY`, and only that spelling, makes the column an alias of the rowid: a generated id.
            if keyed.count == 1, let id = table.columns[keyed[0].1], declared[keyed[0].1]?.uppercased() == "INTEGER" {
                table.columns[keyed[0].1] = .init(type: id.type, nullable: false, defaultValue: "autoincrement")
            }
            for key in try await sql.raw(
                "SELECT \"from\" AS from_column, \"table\" AS target_table, \"to\" AS to_column, on_delete FROM pragma_foreign_key_list(\(bind: name))"
            ).all() {
                table.foreignKeys.append(
                    .init(
                        column: try key.decode(column: "from_column", as: String.self),
                        target: try key.decode(column: "target_table", as: String.self) + "."
                            + (try key.decode(column: "to_column", as: String?.self) ?? "id"),
                        onDelete: try key.decode(column: "on_delete", as: String.self).lowercased()))
            }
            table.checks = checkExpressions(inCreateTable: createSQL).map {
                .init(columns: columnsNamed(in: $0, among: table.columns.keys), literals: literals(in: $0))
            }
            for index in try await sql.raw("SELECT name, \"unique\" AS is_unique, origin, partial FROM pragma_index_list(\(bind: name))").all() {
                let origin = try index.decode(column: "origin", as: String.self)
                if origin == "pk" { continue }
                let indexName = try index.decode(column: "name", as: String.self)
                let indexColumns = try await sql.raw("SELECT name FROM pragma_index_info(\(bind: indexName)) ORDER BY seqno").all()
                    .map { try $0.decode(column: "name", as: String.self) }
                var predicate: [String]?
                if try index.decode(column: "partial", as: Int.self) == 1 {
                    let text =
                        try await sql.raw("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = \(bind: indexName)").first()?.decode(
                            column: "sql", as: String.self) ?? ""
                    let clause = text.range(of: " WHERE ", options: .caseInsensitive).map { String(text[$0.upperBound...]) } ?? text
                    predicate = literals(in: clause)
                }
                table.indexes.append(
                    .init(
                        name: origin == "c" ? indexName : nil, columns: indexColumns,
                        unique: try index.decode(column: "is_unique", as: Int.self) == 1, predicate: predicate))
            }
            result[name] = table
        }
        return result
    }

    /// The bodies of the CHECK clauses of a `CREATE TABLE` statement (column or table constraints).
    static func checkExpressions(inCreateTable text: String) -> [String] {
        var found: [String] = []
        var search = text.startIndex..<text.endIndex
        while let match = text.range(of: #"\bCHECK\s*\("#, options: [.regularExpression, .caseInsensitive], range: search) {
            var depth = 1
            var index = match.upperBound
            var inQuote = false
            while index < text.endIndex, depth > 0 {
                let character = text[index]
                if character == "'" {
                    inQuote.toggle()
                } else if !inQuote {
                    if character == "(" { depth += 1 } else if character == ")" { depth -= 1 }
                }
                index = text.index(after: index)
            }
            found.append(String(text[match.upperBound..<text.index(before: index)]))
            search = index..<text.endIndex
        }
        return found
    }

    // MARK: PostgreSQL

    static func readPostgres(_ sql: any SQLDatabase) async throws -> [String: TableDescription] {
        var result: [String: TableDescription] = [:]
        for row in try await sql.raw(
            """
            SELECT table_name::text AS table_name, column_name::text AS column_name, data_type::text AS data_type,
            is_nullable::text AS is_nullable, column_default::text AS column_default
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE 'email_search%'
            AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE')
            """
        ).all() {
            let table = try row.decode(column: "table_name", as: String.self)
            result[table, default: TableDescription()].columns[try row.decode(column: "column_name", as: String.self)] = .init(
                type: normaliseType(try row.decode(column: "data_type", as: String.self)),
                nullable: try row.decode(column: "is_nullable", as: String.self) == "YES",
                defaultValue: normaliseDefault(try row.decode(column: "column_default", as: String?.self)))
        }
        let deleteActions = ["a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"]
        for row in try await sql.raw(
            """
            SELECT t.relname::text AS table_name, a.attname::text AS column_name, ft.relname::text AS target_table,
            fa.attname::text AS target_column, c.confdeltype::text AS on_delete
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class ft ON ft.oid = c.confrelid
            CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(col, fcol)
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col
            JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = k.fcol
            WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
            """
        ).all() {
            let table = try row.decode(column: "table_name", as: String.self)
            guard result[table] != nil else { continue }
            let action = try row.decode(column: "on_delete", as: String.self)
            result[table]!.foreignKeys.append(
                .init(
                    column: try row.decode(column: "column_name", as: String.self),
                    target: try row.decode(column: "target_table", as: String.self) + "."
                        + (try row.decode(column: "target_column", as: String.self)),
                    onDelete: deleteActions[action] ?? action))
        }
        for row in try await sql.raw(
            """
            SELECT t.relname::text AS table_name, pg_get_constraintdef(c.oid)::text AS definition,
            (SELECT string_agg(a.attname::text, ',' ORDER BY a.attname::text) FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)) AS columns
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE c.contype = 'c' AND c.connamespace = 'public'::regnamespace
            """
        ).all() {
            let table = try row.decode(column: "table_name", as: String.self)
            guard result[table] != nil else { continue }
            result[table]!.checks.append(
                .init(
                    columns: try row.decode(column: "columns", as: String?.self) ?? "",
                    literals: literals(in: try row.decode(column: "definition", as: String.self))))
        }
        for row in try await sql.raw(
            """
            SELECT t.relname::text AS table_name, i.relname::text AS index_name, x.indisunique AS is_unique, x.indisprimary AS is_primary,
            pg_get_expr(x.indpred, x.indrelid)::text AS predicate,
            EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid AND c.contype IN ('u', 'p')) AS from_constraint,
            (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum) AS columns
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'
            """
        ).all() {
            let table = try row.decode(column: "table_name", as: String.self)
            guard result[table] != nil else { continue }
            let columns = (try row.decode(column: "columns", as: String?.self) ?? "").split(separator: ",").map(String.init)
            if try row.decode(column: "is_primary", as: Bool.self) {
                result[table]!.primaryKey = columns
                continue
            }
            let fromConstraint = try row.decode(column: "from_constraint", as: Bool.self)
            let indexName = try row.decode(column: "index_name", as: String.self)
            result[table]!.indexes.append(
                .init(
                    name: fromConstraint ? nil : indexName,
                    columns: columns, unique: try row.decode(column: "is_unique", as: Bool.self),
                    predicate: try row.decode(column: "predicate", as: String?.self).map(literals(in:))))
        }
        return result
    }
}
