import Foundation
public import Logging
import GreenlightCore
import GreenlightEmails

/// A human review decision followed by the demotion guard: the path every decision takes, from the
/// queue, a bulk action or the API. The decision is committed first; a guard that fails is logged and
/// never turns a saved decision into an error.
public struct GuardedDecider: Sendable {
    let decider: ReviewDecider
    let demotions: DemotionGuard
    let logger: Logger
    let metrics: (any WorkMetrics)?

    public init(database: Database, demotions: DemotionGuard, logger: Logger, metrics: (any WorkMetrics)? = nil, clock: TimeSource = .system) {
        self.decider = ReviewDecider(database: database, clock: clock)
        self.demotions = demotions
        self.logger = logger
        self.metrics = metrics
    }

    public func decide(_ decision: ReviewDecision, emailID: Int, by reviewer: Reviewer, shownAt: Int? = nil, clientIDs: [Int]? = nil) async throws
        -> ReviewOutcome
    {
        let outcome = try await decider.decide(decision, emailID: emailID, by: reviewer, shownAt: shownAt, clientIDs: clientIDs)
        metrics?.decided(decision.action)
        do {
            if let demotion = try await demotions.check(clientID: outcome.clientID, phase: outcome.clientPhase) {
                logger.warning(
                    "client demoted",
                    metadata: [
                        "client": .string(demotion.clientName), "from": .string(demotion.from.rawValue),
                        "to": .string(demotion.to.rawValue), "reason": .string(demotion.reason),
                    ])
            }
        } catch {
            logger.error("the demotion guard failed after a decision on email \(outcome.emailID): \(String(reflecting: error))")
        }
        return outcome
    }
}
