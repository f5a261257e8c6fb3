import Foundation
import Logging
import ServiceLifecycle
import SQLKit
import GreenlightCore
import GreenlightWork

/// The daily pull inside `greenlight serve`: every ten minutes it looks for clients with an Instantly
/// key whose pull of their local day has not run, takes the day and the client's pull lease in one
/// conditional update (so of several instances one pulls), pulls (``OutcomePull``) and reads the
/// state of the webhook Greenlight subscribed for it.
public struct OutcomePullScheduler: Service {
    let database: Database
    let pull: OutcomePull
    let subscription: OutcomeSubscription
    let clock: TimeSource
    let logger: Logger
    let interval: Duration

    public init(
        database: Database, secrets: ClientSecrets, factory: SequencerFactory, demotions: DemotionGuard, clock: TimeSource = .system,
        logger: Logger, interval: Duration = .seconds(600)
    ) {
        self.database = database
        self.pull = OutcomePull(database: database, secrets: secrets, factory: factory, demotions: demotions, clock: clock)
        self.subscription = OutcomeSubscription(database: database, secrets: secrets, factory: factory, clock: clock)
        self.clock = clock
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                _ = await tick()
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One pass: the reports of the clients pulled, by client id.
    public func tick() async -> [Int: OutcomePull.Report] {
        var reports: [Int: OutcomePull.Report] = [:]
        do {
            let clients = try await database.read { sql in
                try await sql.raw(
                    """
                    SELECT id, name, timezone FROM clients WHERE sequencer_kind = 'instantly' AND sequencer_key_encrypted IS NOT NULL AND archived_at IS NULL ORDER BY id
                    """
                ).all().map {
                    (
                        id: try $0.decode(column: "id", as: Int.self), name: try $0.decode(column: "name", as: String.self),
                        zone: try $0.decode(column: "timezone", as: String.self)
                    )
                }
            }
            for client in clients {
                let owner = LeaseOwner.make()
                let day = LocalDay.of(millis: clock.nowMillis(), timeZone: client.zone)
                guard try await pull.claim(clientID: client.id, owner: owner, localDay: day) else { continue }
                do {
                    let report = try await pull.pull(clientID: client.id, owner: owner)
                    reports[client.id] = report
                    logger.info("outcomes of \(client.name) read back: \(report.sentence)")
                    try? await subscription.refresh(clientID: client.id)
                } catch {
                    logger.error("reading the outcomes of \(client.name) back failed (the next pull goes on from its last page): \(error)")
                }
                try? await pull.release(clientID: client.id, owner: owner)
            }
        } catch {
            logger.error("the daily outcome pull could not read the clients: \(error)")
        }
        return reports
    }
}
