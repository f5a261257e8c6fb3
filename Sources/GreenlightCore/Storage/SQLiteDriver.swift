import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

/// SQLite in WAL mode: one writer connection behind a lock (SQLite has one writer at a time)
/// and a few reader connections that run alongside it.
///
/// SQLite's calls block and run on a thread pool. The writer has a thread of its own: on NIO's shared
/// pool (one thread per core) busy readers left it waiting for a thread while it held the write lock.
/// The readers stay on the shared pool: a thread each (tried) let them crowd the writer off the two
/// cores, and 16 reviewers' decisions went from about 300 to 170 a second.
final class SQLiteDriver: DatabaseDriver {
    let dialect = DatabaseDialect.sqlite
    private let writer: SQLiteConnection
    private let writerLock = AsyncLock()
    private let readers: ConnectionPool<SQLiteConnection>
    private let threads: NIOThreadPool

    private init(writer: SQLiteConnection, readers: [SQLiteConnection], threads: NIOThreadPool) {
        self.writer = writer
        self.readers = ConnectionPool(readers)
        self.threads = threads
    }

    static func open(path: String, logger: Logger, readerCount: Int = 4) async throws -> SQLiteDriver {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let threads = NIOThreadPool(numberOfThreads: 1)  // the writer's
        threads.start()
        var connections: [SQLiteConnection] = []
        do {
            for _ in 0...readerCount {
                connections.append(try await connect(path: path, threads: connections.isEmpty ? threads : NIOThreadPool.singleton, logger: logger))
                if connections.count == 1 {
                    _ = try await connections[0].sql().raw("PRAGMA journal_mode = WAL").all()
                }
            }
        } catch {
            for connection in connections { try? await connection.close() }
            try? await threads.shutdownGracefully()
            throw error
        }
        return SQLiteDriver(writer: connections[0], readers: Array(connections.dropFirst()), threads: threads)
    }

    private static func connect(path: String, threads: NIOThreadPool, logger: Logger) async throws -> SQLiteConnection {
        installContains
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path),
            threadPool: threads,
            logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.any()
        )
        // A file that is not a database opens, then fails its first statement: the connection is
        // closed before the error goes on (SQLiteNIO traps on one dropped open).
        do {
            let sql = connection.sql()
            try await sql.raw("PRAGMA busy_timeout = 10000").run()
            try await sql.raw("PRAGMA synchronous = NORMAL").run()
            try await sql.raw("PRAGMA foreign_keys = ON").run()
            // SQLite's default cache is 2 MB a connection. The writer's is never invalidated by its own
            // writes, and with 2 MB a decision's updates spilled pages to the log mid-transaction. A
            // reader's cache lives until another connection writes; a search checks a thousand emails
            // or more one by one (ReviewQueue.searchWalkQuery), a page each at a million drafts, and
            // with 2 MB it read them all from the file again on the next request.
            try await sql.raw("PRAGMA cache_size = -32768").run()
            try await connection.install(customFunction: localDay)
            return connection
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// `greenlight_local_day(millis, zone)`: the client's calendar day of an instant, for the daily
    /// rollup's triggers and views (``LocalDay``). PostgreSQL defines the same function in SQL.
    private static let localDay = SQLiteCustomFunction("greenlight_local_day", argumentCount: 2, pure: true, indirect: true) { arguments in
        guard case .integer(let millis) = arguments[0], case .text(let zone) = arguments[1] else { return nil }
        return LocalDay.of(millis: millis, timeZone: zone)
    }

    func withReader<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await readers.withConnection { try await body($0.sql()) }
    }

    func withWriter<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await writerLock.withLock { try await body(writer.sql()) }
    }

    /// SQLite has one writer at a time: it cannot deadlock.
    func isDeadlock(_ error: any Error) -> Bool { false }

    func close() async {
        for connection in await readers.drain() {
            try? await connection.close()
        }
        try? await writer.close()
        try? await threads.shutdownGracefully()
    }
}

/// A fixed set of connections lent to one task at a time.
actor ConnectionPool<Connection: Sendable> {
    private var idle: [Connection]
    private var waiters: [CheckedContinuation<Connection, Never>] = []

    init(_ connections: [Connection]) {
        self.idle = connections
    }

    func acquire() async -> Connection {
        if let connection = idle.popLast() { return connection }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func release(_ connection: Connection) {
        if waiters.isEmpty {
            idle.append(connection)
        } else {
            waiters.removeFirst().resume(returning: connection)
        }
    }

    func drain() -> [Connection] {
        defer { idle = [] }
        return idle
    }

    nonisolated func withConnection<T: Sendable>(_ body: (Connection) async throws -> T) async throws -> T {
        let connection = await acquire()
        do {
            let result = try await body(connection)
            await release(connection)
            return result
        } catch {
            await release(connection)
            throw error
        }
    }
}
