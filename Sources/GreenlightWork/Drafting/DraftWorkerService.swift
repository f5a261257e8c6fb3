import Logging
import ServiceLifecycle

/// The drafting workers inside `greenlight serve`: each drains the queued batches — claiming the
/// next handful of contacts while the last are drafted — and waits a second when there is nothing
/// to do. On shutdown the
/// contacts in hand are finished and stored; none is given up half-drafted (a killed instance's
/// leases run out and another instance takes them).
public struct DraftWorkerService: Service {
    let workers: [DraftWorker]
    let logger: Logger
    let idle: Duration

    public init(workers: [DraftWorker], logger: Logger, idle: Duration = .seconds(1)) {
        self.workers = workers
        self.logger = logger
        self.idle = idle
    }

    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for worker in workers {
                group.addTask {
                    while !Task.isShuttingDownGracefully && !Task.isCancelled {
                        do {
                            if try await worker.drain(while: { !Task.isShuttingDownGracefully && !Task.isCancelled }) == 0 {
                                try? await Task.sleep(for: idle)
                            }
                        } catch {
                            logger.error("drafting worker \(worker.owner) failed a round: \(error)")
                            try? await Task.sleep(for: idle)
                        }
                    }
                }
            }
        }
    }
}
