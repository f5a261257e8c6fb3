import ArgumentParser
import Foundation
import GreenlightCore
import GreenlightWork
import GreenlightWeb

/// `greenlight serve`: runs the web app.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the web app.")

    @OptionGroup var options: DatabaseOptions
    @OptionGroup var server: ServerOptions

    func run() async throws {
        try await options.withDatabase { database, paths, logger in
            let app = try await buildApplication(configuration: server.configuration(paths: paths), database: database, logger: logger)
            print("Greenlight is serving on http://\(server.hostname):\(server.port) (\(database.location))")
            fflush(nil)
            try await app.runUntilSignalled()
        }
    }
}

/// Where and how the web app listens.
struct ServerOptions: ParsableArguments {
    @Option(name: .long, help: "Address to listen on.")
    var hostname: String = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on.")
    var port: Int = 8080

    @Flag(name: .long, help: "Mark cookies Secure and send HSTS (when served over HTTPS, directly or behind a proxy).")
    var secureCookies = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A reverse proxy (address or CIDR range, repeatable) whose X-Forwarded-For names the client. Without it the header is ignored.",
            valueName: "CIDR"))
    var trustedProxy: [String] = []

    func configuration(paths: ResourcePaths) throws -> AppConfiguration {
        guard (1...65535).contains(port) else { throw ValidationError("--port \(port) is not a port number (1–65535)") }
        let proxies: [IPAddressRange]
        do {
            proxies = try trustedProxy.map { try IPAddressRange(parsing: $0) }
        } catch {
            throw ValidationError("--trusted-proxy: \(error)")
        }
        var configuration = AppConfiguration(
            hostname: hostname, port: port, paths: paths, secureCookies: secureCookies,
            benchCeiling: ProcessInfo.processInfo.environment["GREENLIGHT_BENCH_CEILING"] == "1",
            trustedProxies: proxies, exportSchedule: true, draftWorkers: true,
            makeFiller: { try DraftFillers.fromEnvironment(database: $0) })
        configuration.metricsToken = try MetricsToken.fromEnvironment()
        configuration.publicURL = try PublicURL.fromEnvironment()
        return configuration
    }
}
