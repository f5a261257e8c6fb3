import Foundation
import Testing

/// Runs the built `greenlight` binary in a temporary folder of its own, against an SQLite file there,
/// with `GREENLIGHT_ROOT` set to the project so it finds `Migrations/` and `Views/`.
package struct GreenlightProcess {
    /// What one run left: its exit code and both output streams.
    package struct Result: CustomStringConvertible {
        package var status: Int32
        package var stdout: String
        var stderr: String
        /// Both streams, for messages that ArgumentParser prints to stderr and commands print to stdout.
        package var output: String { stdout + stderr }
        package var lines: [String] { stdout.split(separator: "\n").map(String.init) }
        package var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    package struct MissingBinary: Error, CustomStringConvertible {
        var looked: [String]
        package var description: String {
            "the greenlight binary is not built; looked in \(looked.joined(separator: ", ")). Run `swift build --build-tests`."
        }
    }

    package let folder: URL
    package var database: String { folder.appendingPathComponent("cli.sqlite").path }

    /// The project's root, from this file's place in `Tests/GreenlightTestSupport/CLI/`.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The binary beside the test bundle (SwiftPM puts every product of a build in one folder), else `.build/debug/`.
    static func binary() throws -> URL {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("greenlight"))
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("greenlight"))
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("greenlight"))
        candidates.append(root.appendingPathComponent(".build/debug/greenlight"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw MissingBinary(looked: candidates.map(\.path))
        }
        return found
    }

    /// Makes a fresh folder, runs `body`, and removes the folder.
    package static func withFolder<T>(_ body: (GreenlightProcess) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("greenlight-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await body(GreenlightProcess(folder: folder))
    }

    /// Runs `greenlight arguments…`; `--database` points at this folder's SQLite file unless `database` is false.
    /// The parent's `DATABASE_URL` and secret keys are not passed on; `environment` adds variables.
    package func run(_ arguments: [String], database useDatabase: Bool = true, environment: [String: String] = [:]) async throws -> Result {
        let executable = try Self.binary()
        var variables = ProcessInfo.processInfo.environment.filter {
            !["DATABASE_URL", "GREENLIGHT_SECRET_KEY", "GREENLIGHT_NEW_SECRET_KEY"].contains($0.key)
        }
        variables["GREENLIGHT_ROOT"] = Self.root.path
        variables.merge(environment) { $1 }
        let name = UUID().uuidString
        let out = folder.appendingPathComponent("\(name).out"), err = folder.appendingPathComponent("\(name).err")
        let status = try await Spawn.run(
            executable.path, arguments + (useDatabase ? ["--database", database] : []), environment: variables,
            directory: folder.path, stdout: out.path, stderr: err.path)
        return Result(status: status, stdout: try String(contentsOf: out, encoding: .utf8), stderr: try String(contentsOf: err, encoding: .utf8))
    }

    /// Runs a call that must succeed, and records its output if it does not.
    @discardableResult
    package func succeed(
        _ arguments: [String], database useDatabase: Bool = true, environment: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Result {
        let result = try await run(arguments, database: useDatabase, environment: environment)
        #expect(result.status == 0, "greenlight \(arguments.joined(separator: " ")) failed:\n\(result)", sourceLocation: sourceLocation)
        return result
    }

    /// Runs a call that must fail, and checks its message names the problem.
    package func fail(
        _ arguments: [String], saying message: String, database useDatabase: Bool = true, environment: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let result = try await run(arguments, database: useDatabase, environment: environment)
        #expect(result.status != 0, "greenlight \(arguments.joined(separator: " ")) should have failed:\n\(result)", sourceLocation: sourceLocation)
        #expect(
            result.output.contains(message), "greenlight \(arguments.joined(separator: " ")) should say \"\(message)\":\n\(result)",
            sourceLocation: sourceLocation)
    }
}
