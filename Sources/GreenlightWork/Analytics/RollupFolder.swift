import Logging
import ServiceLifecycle
import GreenlightCore

/// The rollup's folder inside `greenlight serve`: every `interval` it folds what the log holds
/// (``RollupLog``), so the dashboard's own fold before reading finds little left. Instances sharing
/// a PostgreSQL take turns: one that finds another folding skips the round.
public struct RollupFolder: Service {
    let database: Database
    let logger: Logger
    let interval: Duration

    public init(database: Database, logger: Logger, interval: Duration = .seconds(1)) {
        self.database = database
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await RollupLog.fold(database, wait: false)
                } catch  where Task.isCancelled || error is CancellationError {
                    break  // shutting down: the rows stay in the log for the next fold
                } catch {
                    logger.error("folding the rollup log failed: \(error)")
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
