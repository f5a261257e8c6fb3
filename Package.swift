// swift-tools-version:6.0
import PackageDescription

let strictness: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    // Release builds optimise across our modules as they did within the one module they replaced
    // (generic storage calls specialised at the call site); BENCHMARKS.md has the before and after.
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

// The library's modules and what the tests use, for the test-support target and every test target.
let testDependencies: [Target.Dependency] = [
    "GreenlightCore",
    "GreenlightEmails",
    "GreenlightWork",
    "GreenlightExport",
    "GreenlightWeb",
    .product(name: "HummingbirdTesting", package: "hummingbird"),
    .product(name: "SQLKit", package: "sql-kit"),
    .product(name: "Logging", package: "swift-log"),
    .product(name: "PropertyBased", package: "swift-property-based"),
    .product(name: "Mustache", package: "swift-mustache"),
    .product(name: "NIOEmbedded", package: "swift-nio"),
    .product(name: "Hummingbird", package: "hummingbird"),
    .product(name: "AsyncHTTPClient", package: "async-http-client"),
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio"),
    .product(name: "HTTPTypes", package: "swift-http-types"),
]

let package = Package(
    name: "greenlight",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "greenlight", targets: ["greenlight"]),
        .library(name: "Greenlight", targets: ["GreenlightCore", "GreenlightEmails", "GreenlightWork", "GreenlightExport", "GreenlightWeb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
    ],
    targets: [
        // libxml2's HTML parser (Debian: libxml2-dev; .ci/run installs it).
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // The layers, each depending only on those above it in this list; a wrong-way import does not
        // compile, and `.ci/run` builds with `--explicit-target-dependency-import-check error` so a
        // module cannot reach one it does not declare either.
        //
        // Core: what every area shares (time, errors, retry, HTTP, metrics protocol), the SQL layer
        // (Storage) and Slack (Notify).
        .target(
            name: "GreenlightCore",
            dependencies: [
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strictness
        ),
        // Emails: the vocabulary every stage shares (score, variable, grounding flag, statuses,
        // rollout phase, gate decision); of ours it uses only Core (a status's SQL list).
        .target(
            name: "GreenlightEmails",
            dependencies: ["GreenlightCore"],
            swiftSettings: strictness
        ),
        // Work: the product's areas (Auth, Clients, Import, Drafting, Model, Website, Review, Rollout,
        // Analytics, Demo). No HTTP server or templates here: HummingbirdBcrypt is bcrypt only.
        .target(
            name: "GreenlightWork",
            dependencies: [
                "GreenlightCore",
                "GreenlightEmails",
                "CLibXML2",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            exclude: ["Demo/Data"],
            swiftSettings: strictness
        ),
        // Export: the ledger, the lease, the scheduler and the sequencer clients (Instantly, Smartlead,
        // the CSV file): the one step that reaches prospects, above everything it reads.
        .target(
            name: "GreenlightExport",
            dependencies: [
                "GreenlightCore",
                "GreenlightEmails",
                "GreenlightWork",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strictness
        ),
        // Web: pages, the API, middleware and the app's assembly; the only module that imports
        // Hummingbird and Mustache.
        .target(
            name: "GreenlightWeb",
            dependencies: [
                "GreenlightCore",
                "GreenlightEmails",
                "GreenlightWork",
                "GreenlightExport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                // gzip for responses (zlib; Debian: zlib1g-dev, .ci/run installs it).
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: strictness
        ),
        .executableTarget(
            name: "greenlight",
            dependencies: [
                "GreenlightCore",
                "GreenlightEmails",
                "GreenlightWork",
                "GreenlightExport",
                "GreenlightWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictness
        ),
        // What every test target shares: test databases (SQLite and PostgreSQL), seeding, the web
        // client, the CLI runner, and the fakes of outside services (model, sequencers, Slack, websites).
        .target(
            name: "GreenlightTestSupport",
            dependencies: testDependencies,
            path: "Tests/GreenlightTestSupport",
            swiftSettings: strictness
        ),
        .testTarget(
            name: "GreenlightCoreTests",
            dependencies: ["GreenlightTestSupport"] + testDependencies,
            swiftSettings: strictness
        ),
        .testTarget(
            name: "GreenlightWorkTests",
            dependencies: ["GreenlightTestSupport"] + testDependencies,
            swiftSettings: strictness
        ),
        .testTarget(
            name: "GreenlightExportTests",
            dependencies: ["GreenlightTestSupport"] + testDependencies,
            swiftSettings: strictness
        ),
        .testTarget(
            name: "GreenlightWebTests",
            dependencies: ["GreenlightTestSupport"] + testDependencies,
            swiftSettings: strictness
        ),
    ],
    swiftLanguageModes: [.v6]
)
