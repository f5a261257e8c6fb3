import Foundation
import Logging
@testable import GreenlightCore
@testable import GreenlightWeb
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import ServiceLifecycle
import SQLKit
import Testing
import GreenlightTestSupport

/// `GET /ready`, on both databases: ready once the server runs; 503 naming why while it starts, once a
/// graceful shutdown has begun, and when the database's schema is newer than this build's. The
/// watcher flips the state when a graceful shutdown is triggered.
@Suite("Readiness")
struct ReadyTests {
    struct Ready: Decodable {
        var status: String
        var stage: String
        var schema_version: Int?
        var build_schema_version: Int
        var problems: [String]
    }

    static func read(_ client: any TestClientProtocol) async throws -> (HTTPResponse.Status, Ready) {
        try await client.execute(uri: "/ready", method: .get) { response in
            (response.status, try JSONDecoder().decode(Ready.self, from: Data(String(buffer: response.body).utf8)))
        }
    }

    @Test("a running app is ready at its schema; a newer schema is not", arguments: DatabaseDialect.allCases)
    func liveApp(_ dialect: DatabaseDialect) async throws {
        try await TestDatabase.with(dialect) { database in
            let configuration = AppConfiguration(port: 0, paths: TestDatabase.paths, bcryptCost: 4)
            let app = try await buildApplication(configuration: configuration, database: database, logger: TestDatabase.logger)
            try await app.test(.live) { client in
                let (status, ready) = try await Self.read(client)
                #expect(status == .ok && ready.status == "ready" && ready.stage == "ready" && ready.problems.isEmpty, "\(ready)")
                #expect(ready.schema_version == ready.build_schema_version && ready.build_schema_version >= 30)
                try await database.write { sql in
                    try await sql.raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from a newer release', 0)").run()
                }
                let (newer, answer) = try await Self.read(client)
                #expect(newer == .serviceUnavailable && answer.problems.first?.contains("newer than this build's") == true, "\(answer)")
            }
        }
    }

    @Test("starting and stopping answer 503 with the reason; the watcher marks a graceful shutdown")
    func stages() async throws {
        try await TestDatabase.with(.sqlite) { database in
            for (stage, problem) in [(ReadinessState.Stage.starting, "the server is starting"), (.stopping, "the instance is shutting down")] {
                let router = try await buildRouter(
                    configuration: AppConfiguration(paths: TestDatabase.paths, bcryptCost: 4), database: database, readiness: ReadinessState(stage))
                try await Application(router: router).test(.router) { client in
                    let (status, ready) = try await Self.read(client)
                    #expect(status == .serviceUnavailable && ready.stage == stage.rawValue && ready.problems == [problem], "\(ready)")
                }
            }
        }
        let readiness = ReadinessState()
        readiness.serving()
        #expect(readiness.stage == .ready)
        let group = ServiceGroup(services: [ReadinessWatcher(readiness: readiness)], gracefulShutdownSignals: [], logger: TestDatabase.logger)
        async let running: Void = group.run()
        #expect(readiness.stage == .ready, "nothing changes before the shutdown")
        await group.triggerGracefulShutdown()
        try await running
        #expect(readiness.stage == .stopping)
        readiness.serving()
        #expect(readiness.stage == .stopping, "a shutdown is never undone")
    }
}
