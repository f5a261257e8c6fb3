import Foundation
import Hummingbird
import GreenlightCore
import GreenlightEmails
import GreenlightWork

/// `GET /api/v1/analytics?client=&from=&to=`: the dashboard's figures as JSON, for a session (an SDR
/// gets their own figures) or an API key (its client). `client` takes an id or a name.
struct AnalyticsAPIController {
    let database: Database
    let clock: TimeSource

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/api/v1/analytics", use: show)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireReviewer()
        let scope = try await FiguresScope.of(request, context: context, database: database, clock: clock)
        let figures = try await DashboardFigures.read(
            database, range: scope.range, clientIDs: scope.clientIDs, reviewerID: scope.reviewerID, now: clock.nowMillis())
        return try JSONAnswer.make(APIAnalytics(figures, range: scope.range))
    }
}

/// The JSON of `GET /api/v1/analytics`.
struct APIAnalytics: Encodable {
    struct Rates: Encodable {
        var approval: Double?
        var edit: Double?
        var rejection: Double?
        var auto_approval: Double?
    }

    struct ReviewTime: Encodable {
        var average_seconds: Double?
        /// The review-time bucket the median falls in (seconds; `median_seconds_high` null for the last).
        var median_seconds_low: Int?
        var median_seconds_high: Int?
        var distribution: [TimeBucket]
    }

    struct TimeBucket: Encodable {
        var from_seconds: Int
        var to_seconds: Int?
        var decisions: Int
    }

    struct Reason: Encodable {
        var reason: String
        var count: Int
        var share: Double
    }

    struct Week: Encodable {
        var start: String
        var decisions: Int
        var approved: Int
        var edited: Int
        var rejected: Int
    }

    struct ReviewerFigures: Encodable {
        var name: String
        var decisions: Int
        var approved: Int
        var edited: Int
        var rejected: Int
        var average_seconds: Double?
        var fast_approvals: Int
        var longest_approve_streak: Int
        var today: Int
        var last_7_days: Int
    }

    struct Band: Encodable {
        var band: String
        var drafts: Int
    }

    var from: String
    var to: String
    var totals: [String: Int]
    var rates: Rates
    var review_time: ReviewTime
    var average_score: Double?
    var rejection_reasons: [Reason]
    var weeks: [Week]
    var reviewers: [ReviewerFigures]
    var score_histogram: [Band]

    init(_ figures: DashboardFigures, range: DashboardRange) {
        from = range.from
        to = range.to
        var totals = ["generated": figures.generated]
        for status in ReviewStatus.allCases { totals[status.rawValue] = figures.byStatus[status.rawValue, default: 0] }
        self.totals = totals
        rates = Rates(
            approval: figures.approvalRate, edit: figures.editRate, rejection: figures.rejectionRate, auto_approval: figures.autoApprovalRate)
        let bounds = DailyRollup.reviewTimeBuckets
        review_time = ReviewTime(
            average_seconds: figures.averageReviewSeconds, median_seconds_low: figures.medianReviewBand?.low,
            median_seconds_high: figures.medianReviewBand?.high,
            distribution: figures.reviewTimes.enumerated().map {
                TimeBucket(
                    from_seconds: bounds[$0.offset], to_seconds: $0.offset + 1 < bounds.count ? bounds[$0.offset + 1] : nil, decisions: $0.element)
            })
        average_score = figures.averageScore
        let rejected = Double(max(1, figures.decisions.rejected))
        rejection_reasons = figures.reasons.map { Reason(reason: $0.reason, count: $0.count, share: Double($0.count) / rejected) }
        weeks = figures.weeks.map {
            Week(
                start: $0.start, decisions: $0.decisions.total, approved: $0.decisions.approved, edited: $0.decisions.edited,
                rejected: $0.decisions.rejected)
        }
        reviewers = figures.reviewers.map {
            ReviewerFigures(
                name: $0.name, decisions: $0.decisions.total, approved: $0.decisions.approved, edited: $0.decisions.edited,
                rejected: $0.decisions.rejected,
                average_seconds: $0.averageSeconds, fast_approvals: $0.fastApprovals, longest_approve_streak: $0.longestApproveStreak,
                today: $0.today, last_7_days: $0.thisWeek)
        }
        score_histogram = figures.histogram.enumerated().map {
            Band(band: $0.offset == 9 ? "90-100" : "\($0.offset * 10)-\($0.offset * 10 + 9)", drafts: $0.element)
        }
    }
}
