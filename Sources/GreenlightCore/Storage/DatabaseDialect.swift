import Foundation
import SQLKit
/// The two SQL engines Greenlight runs on. Dialect differences are decided here and in `Migrations/`.
public enum DatabaseDialect: String, Sendable, CaseIterable {
    case sqlite
    case postgres

    /// The engine behind a connection, for code handed only the connection.
    package static func of(_ sql: any SQLDatabase) -> DatabaseDialect {
        sql.dialect.name == "sqlite" ? .sqlite : .postgres
    }

    /// The statement that opens a write transaction.
    var beginStatement: String {
        switch self {
        case .sqlite: "BEGIN IMMEDIATE"
        case .postgres: "BEGIN"
        }
    }

    /// `column` without the spaces, tabs and line breaks around it.
    package func trimmedWhitespace(_ column: String) -> String {
        switch self {
        case .sqlite: "trim(\(column), ' ' || char(9) || char(10) || char(13))"
        case .postgres: "btrim(\(column), ' ' || chr(9) || chr(10) || chr(13))"
        }
    }
}
