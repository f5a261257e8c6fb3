import Foundation
/// The two SQL engines Greenlight runs on. Dialect differences are decided here and in `Migrations/`.
public enum DatabaseDialect: String, Sendable, CaseIterable {
    case sqlite
    case postgres

    /// The statement that opens a write transaction.
    var beginStatement: String {
        switch self {
        case .sqlite: "BEGIN IMMEDIATE"
        case .postgres: "BEGIN"
        }
    }
}
