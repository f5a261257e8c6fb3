import Foundation

/// Where Greenlight finds the folders it ships beside the binary: `Views/`, `Public/`, `Migrations/`
/// and the demo data — so the app works from any working directory.
public struct ResourcePaths: Sendable, Equatable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    public var views: String { root + "/Views" }
    public var publicFiles: String { root + "/Public" }
    public var migrations: String { root + "/Migrations" }
    public var demoData: String { root + "/Sources/GreenlightWork/Demo/Data" }

    /// `GREENLIGHT_ROOT` if set; else the working directory or the nearest folder above the
    /// executable that holds `Views/` and `Migrations/`.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> ResourcePaths {
        if let root = environment["GREENLIGHT_ROOT"], !root.isEmpty {
            guard isRoot(root) else { throw ConfigurationError("GREENLIGHT_ROOT=\(root) holds no Views/ and Migrations/ folders") }
            return ResourcePaths(root: root)
        }
        var candidates = [FileManager.default.currentDirectoryPath]
        var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(directory.path)
            directory.deleteLastPathComponent()
        }
        if let root = candidates.first(where: isRoot) { return ResourcePaths(root: root) }
        throw ConfigurationError("cannot find Greenlight's Views/ and Migrations/ folders: run from the project folder or set GREENLIGHT_ROOT")
    }

    private static func isRoot(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/Views") && FileManager.default.fileExists(atPath: path + "/Migrations")
    }
}
