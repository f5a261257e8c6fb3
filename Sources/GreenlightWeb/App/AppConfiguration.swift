import Logging
import GreenlightCore
import GreenlightWork
import GreenlightExport

/// Everything `greenlight serve` (and the tests) can set.
public struct AppConfiguration: Sendable {
    public var hostname: String
    public var port: Int
    public var paths: ResourcePaths
    /// Mark the session cookie `Secure` (set when served over TLS, directly or behind a proxy).
    public var secureCookies: Bool
    /// bcrypt cost for new password hashes.
    public var bcryptCost: UInt8
    /// How long a login lasts without any request.
    public var sessionIdle: Duration
    /// How long a login lasts at most.
    public var sessionLifetime: Duration
    public var logLevel: Logger.Level
    /// Serve `/bench/ceiling` (the last queue page, from memory) for `bench/run`. Off in normal use.
    public var benchCeiling: Bool
    /// Proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`); none by default.
    public var trustedProxies: [IPAddressRange]
    /// Where the app reads the time (tests pass a ``ManualClock``'s source).
    public var clock: TimeSource
    /// The key for stored secrets (Slack webhooks); `nil` reads `GREENLIGHT_SECRET_KEY` when one is needed.
    public var secretBox: SecretBox?
    /// Builds the sequencer clients (base URLs from `GREENLIGHT_INSTANTLY_BASE_URL`…; tests point them at fakes).
    public var sequencers: SequencerFactory
    /// Run each client's daily export inside the server (`greenlight serve`); off for tests and tools.
    public var exportSchedule: Bool
    /// Run drafting workers for queued batches inside the server (`greenlight serve`); off for tests and tools.
    public var draftWorkers: Bool
    /// Makes what fills the agent variables of drafts from the web import, given the database (the
    /// model's agents, or the context pack); a wrong setting stops the server at start.
    public var makeFiller: @Sendable (Database) throws -> any VariableFiller
    /// The bearer token a metrics scraper presents at `/metrics` (`GREENLIGHT_METRICS_TOKEN`); nil: admins only.
    public var metricsToken: String?
    /// Where people and sequencers reach the app (`GREENLIGHT_PUBLIC_URL`, ``PublicURL``); nil: from each request's host.
    public var publicURL: String?
    /// This app's counters and latencies (its own registry).
    public let metrics = AppMetrics()

    public init(
        hostname: String = "127.0.0.1", port: Int = 8080, paths: ResourcePaths, secureCookies: Bool = false,
        bcryptCost: UInt8 = 12, sessionIdle: Duration = .seconds(2 * 3600), sessionLifetime: Duration = .seconds(12 * 3600),
        logLevel: Logger.Level = .info,
        benchCeiling: Bool = false, trustedProxies: [IPAddressRange] = [], clock: TimeSource = .system, secretBox: SecretBox? = nil,
        exportSchedule: Bool = false,
        sequencers: SequencerFactory = .fromEnvironment(), draftWorkers: Bool = false,
        makeFiller: @escaping @Sendable (Database) throws -> any VariableFiller = { _ in ContextPackFiller() }
    ) {
        self.hostname = hostname
        self.port = port
        self.paths = paths
        self.secureCookies = secureCookies
        self.bcryptCost = bcryptCost
        self.sessionIdle = sessionIdle
        self.sessionLifetime = sessionLifetime
        self.logLevel = logLevel
        self.benchCeiling = benchCeiling
        self.trustedProxies = trustedProxies
        self.clock = clock
        self.secretBox = secretBox
        self.exportSchedule = exportSchedule
        self.sequencers = sequencers
        // One clock for the whole app: the sequencer clients read the same time as everything else.
        self.sequencers.clock = clock
        self.makeFiller = makeFiller
        self.draftWorkers = draftWorkers
    }
}
