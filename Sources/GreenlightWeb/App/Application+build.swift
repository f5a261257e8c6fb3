public import Hummingbird
import HummingbirdAuth
public import Logging
import ServiceLifecycle
import GreenlightCore
import GreenlightWork
import GreenlightExport

/// Wires the router, middleware and controllers over an open database. `greenlight serve`,
/// `greenlight demo` and the tests all call this one function.
public func buildApplication(configuration: AppConfiguration, database: Database, logger: Logger) async throws -> some ApplicationProtocol {
    // One exporter for the schedule, the pages and the API.
    let exporter = makeExporter(configuration: configuration, database: database, logger: logger)
    let readiness = ReadinessState()
    let router = try await buildRouter(
        configuration: configuration, database: database, logger: logger, exporter: .some(exporter), readiness: readiness)
    var services: [any Service] = [RollupFolder(database: database, logger: logger), ReadinessWatcher(readiness: readiness)]
    if configuration.exportSchedule, let exporter {
        services.append(ExportScheduler(database: database, exporter: exporter, clock: configuration.clock, logger: logger))
        services.append(
            OutcomePullScheduler(
                database: database, secrets: exporter.secrets, factory: exporter.factory,
                demotions: makeDemotionGuard(configuration: configuration, database: database, logger: logger), clock: configuration.clock,
                logger: logger))
    }
    if configuration.draftWorkers {
        // Two workers, each drafting as many contacts at once as the filler takes (the model's own
        // limits apply inside), claiming twice that so the next contacts are at hand.
        let filler = try configuration.makeFiller(database)
        let workers = (0..<2).map { _ in
            DraftWorker(
                database: database, filler: filler, clock: configuration.clock, claimSize: 2 * filler.parallelism, concurrency: filler.parallelism,
                metrics: configuration.metrics)
        }
        services.append(DraftWorkerService(workers: workers, logger: logger))
    }
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.hostname, port: configuration.port), serverName: nil),
        services: services,
        onServerRunning: { _ in readiness.serving() },
        logger: logger
    )
}

/// The exporter of an app: nil without a secret key to open the sequencers' keys with.
func makeExporter(configuration: AppConfiguration, database: Database, logger: Logger) -> Exporter? {
    (configuration.secretBox ?? (try? SecretBox.fromEnvironment())).map {
        Exporter(
            database: database, secrets: ClientSecrets(database: database, box: $0), factory: configuration.sequencers, clock: configuration.clock,
            logger: logger,
            notifier: SlackNotifier(logger: logger), metrics: configuration.metrics)
    }
}

/// The guard that drops a client one phase when humans reject, or prospects bounce or unsubscribe
/// from, what it produces — telling the client's Slack channel.
func makeDemotionGuard(configuration: AppConfiguration, database: Database, logger: Logger) -> DemotionGuard {
    let message = DemotionMessage(database: database, box: configuration.secretBox, notifier: SlackNotifier(logger: logger), logger: logger)
    return DemotionGuard(database: database, clock: configuration.clock, notify: { await message.send($0) })
}

/// The router alone (in-process tests call it directly).
/// - Parameter exporter: the app's exporter (``buildApplication(configuration:database:logger:)`` passes
///   its own, nil included); when not given, the router makes one.
/// - Parameter readiness: what `GET /ready` reports (the app's flips as its server starts and stops);
///   a router alone is ready.
public func buildRouter(
    configuration: AppConfiguration, database: Database, logger: Logger = Logger(label: "greenlight"),
    exporter given: Exporter?? = nil, readiness: ReadinessState = ReadinessState(.ready)
) async throws -> Router<AppRequestContext> {
    let views = try await ViewRenderer(directory: configuration.paths.views)
    let clock = configuration.clock
    let persist = SQLPersistDriver(database: database, clock: clock)
    let sessions = SessionStorage<UserSession>(
        persist,
        configuration: .init(
            sessionCookieParameters: .init(name: "greenlight_session", secure: configuration.secureCookies, sameSite: .lax),
            keyPrefix: SQLPersistDriver.sessionKeyPrefix
        )
    )
    let users = UserRepository(database: database, hasher: PasswordHasher(cost: configuration.bcryptCost), clock: clock)
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestMetricsMiddleware(metrics: configuration.metrics))
    router.add(middleware: CompressionMiddleware())
    router.add(middleware: ClientAddressMiddleware(addresses: ClientAddress(trustedProxies: configuration.trustedProxies)))
    router.add(middleware: SecurityHeadersMiddleware(tls: configuration.secureCookies))
    router.add(middleware: ErrorMiddleware(views: views))
    router.add(
        middleware: FileMiddleware(
            configuration.paths.publicFiles, cacheControl: .init([(.text, [.maxAge(300)]), (.application, [.maxAge(300)])]), searchForIndexHtml: false
        ))
    router.add(
        middleware: AuthenticationMiddleware(
            sessions: sessions, persist: persist, apiKeys: APIKeyRepository(database: database, clock: clock),
            renewal: SessionRenewal(sessions: sessions, idle: configuration.sessionIdle, absolute: configuration.sessionLifetime, clock: clock),
            alerts: RolloutAlerts(database: database), metricsToken: configuration.metricsToken))
    // Again inside: a middleware's context reaches only those after it, so an error page rendered
    // here knows who is signed in and keeps their menu. The outer one answers what fails before,
    // and an unknown address once the file middleware has found no file for it.
    router.add(middleware: ErrorMiddleware(views: views, passesUnrouted: true))
    router.add(middleware: AuthorizationMiddleware())
    router.add(middleware: CSRFMiddleware())
    LoginController(
        views: views, users: users, sessions: sessions, throttle: LoginThrottle(database: database, clock: clock), persist: persist,
        sessionIdle: configuration.sessionIdle, secureCookies: configuration.secureCookies, clock: clock
    ).addRoutes(to: router)
    let ceiling = configuration.benchCeiling ? BenchCeiling() : nil
    ceiling?.addRoutes(to: router)
    let demotions = makeDemotionGuard(configuration: configuration, database: database, logger: logger)
    let decisions = GuardedDecider(database: database, demotions: demotions, logger: logger, metrics: configuration.metrics, clock: clock)
    ReviewController(views: views, database: database, decisions: decisions, clock: clock, ceiling: ceiling).addRoutes(to: router)
    ClientController(views: views, database: database, clock: clock).addRoutes(to: router)
    ClientFormController(views: views, database: database, clock: clock).addRoutes(to: router)
    TemplateController(views: views, database: database, clock: clock).addRoutes(to: router)
    SuppressionController(views: views, database: database, clock: clock).addRoutes(to: router)
    let links = UserLinks(database: database, hasher: PasswordHasher(cost: configuration.bcryptCost), clock: clock)
    TeamController(
        views: views, database: database, links: links, clock: clock, secure: configuration.secureCookies, publicURL: configuration.publicURL
    ).addRoutes(to: router)
    SetPasswordController(
        views: views, links: links, sessions: sessions, sessionIdle: configuration.sessionIdle, secureCookies: configuration.secureCookies,
        clock: clock
    ).addRoutes(to: router)
    AccountController(views: views, users: users, sessions: sessions).addRoutes(to: router)
    ImportController(views: views, database: database, clock: clock, metrics: configuration.metrics).addRoutes(to: router)
    APIController(database: database, decisions: decisions, clock: clock).addRoutes(to: router)
    HealthController(database: database).addRoutes(to: router)
    ReadyController(
        database: database, readiness: readiness,
        schema: try Migrator(migrationsRoot: configuration.paths.migrations, dialect: database.dialect).migrations().map(\.version).max() ?? 0
    ).addRoutes(to: router)
    OutcomeHookController(database: database, demotions: demotions, clock: clock).addRoutes(to: router)
    AuditController(views: views, database: database).addRoutes(to: router)
    RolloutController(views: views, database: database, clock: clock).addRoutes(to: router)
    RolloutAPIController(database: database, clock: clock).addRoutes(to: router)
    PromptController(views: views, database: database, clock: clock).addRoutes(to: router)
    DashboardController(views: views, database: database, clock: clock).addRoutes(to: router)
    AnalyticsAPIController(database: database, clock: clock).addRoutes(to: router)
    OutcomesAPIController(database: database, clock: clock).addRoutes(to: router)
    let exporter = given ?? makeExporter(configuration: configuration, database: database, logger: logger)
    ExportController(
        views: views, database: database, exporter: exporter, demotions: demotions, clock: clock, publicURL: configuration.publicURL,
        secure: configuration.secureCookies
    ).addRoutes(to: router)
    CampaignJobsController(database: database, clock: clock, metrics: configuration.metrics).addRoutes(to: router)
    MetricsController(database: database, metrics: configuration.metrics, clock: clock).addRoutes(to: router)
    ExportAPIController(database: database, exporter: exporter, clock: clock).addRoutes(to: router)
    try RoutePolicy.checkCovers(router.routes.map { ($0.method, $0.path.description) })
    return router
}
