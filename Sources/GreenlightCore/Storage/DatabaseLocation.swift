public import Foundation

/// Where the data lives: an SQLite file (the default) or a PostgreSQL server named by URL.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresURL)

    /// The default embedded database, relative to the working directory.
    public static let defaultSQLite = DatabaseLocation.sqlite(path: "data/greenlight.sqlite")

    /// Reads a `--database` value or `DATABASE_URL`: `postgres://…`, `sqlite:PATH`, or a plain file path.
    public init(parsing text: String) throws(ConfigurationError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty {
            throw ConfigurationError("the database location is empty: give a postgres:// URL or an SQLite file path")
        }
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            self = .postgres(try PostgresURL(parsing: trimmed))
        } else if trimmed.hasPrefix("sqlite://") {
            self = .sqlite(path: String(trimmed.dropFirst("sqlite://".count)))
        } else if trimmed.hasPrefix("sqlite:") {
            self = .sqlite(path: String(trimmed.dropFirst("sqlite:".count)))
        } else if trimmed.contains("://") {
            throw ConfigurationError(
                "unsupported database URL scheme in \"\(PostgresURL.redacting(trimmed))\": use postgres:// or an SQLite file path")
        } else {
            self = .sqlite(path: trimmed)
        }
    }

    /// Chooses from an explicit option, then `DATABASE_URL`, then the default SQLite file.
    public static func resolve(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError)
        -> DatabaseLocation
    {
        if let option { return try DatabaseLocation(parsing: option) }
        if let url = environment["DATABASE_URL"], !url.isEmpty { return try DatabaseLocation(parsing: url) }
        return .defaultSQLite
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "SQLite at \(path)"
        case .postgres(let url): "PostgreSQL at \(url.host):\(url.port)/\(url.database)"
        }
    }
}

/// The parts of a `postgres://user:password@host:port/database?sslmode=…` URL.
public struct PostgresURL: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var requireTLS: Bool

    public init(host: String, port: Int, username: String, password: String?, database: String, requireTLS: Bool = false) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.requireTLS = requireTLS
    }

    init(parsing text: String) throws(ConfigurationError) {
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw ConfigurationError(
                "DATABASE_URL \"\(Self.redacting(text))\" is not a valid postgres:// URL (expected postgres://user:password@host:port/database)")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw ConfigurationError("DATABASE_URL \"\(Self.redacting(text))\" names no database (expected …/database at the end)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw ConfigurationError("DATABASE_URL \"\(Self.redacting(text))\" names no user (expected postgres://user@host/database)")
        }
        let sslmode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "disable"
        self.init(
            host: host,
            port: components.port ?? 5432,
            username: user.removingPercentEncoding ?? user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            database: database,
            requireTLS: ["require", "verify-ca", "verify-full"].contains(sslmode)
        )
    }

    /// The URL with its password replaced, safe for messages and logs.
    static func redacting(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? "(unreadable URL)"
    }
}
