import Foundation

/// The dashboard's view model: the range and client chosen, the figures as rows, and each chart's
/// text alternative (the charts themselves are SVG images from `/dashboard/chart`).
struct DashboardPage {
    struct Figure {
        var label: String
        var value: String
    }

    struct ReasonRow {
        var reason: String
        var count: Int
        var share: String
    }

    struct WeekRow {
        var start: String
        var decisions: Int
        var approval: String
        var edit: String
        var rejection: String
    }

    struct ReviewerRow {
        var name: String
        var today: Int
        var thisWeek: Int
        var decisions: Int
        var approved: Int
        var edited: Int
        var rejected: Int
        var averageTime: String
        var fastApprovals: Int
        var longestStreak: Int
    }

    /// A client's model spend in the range.
    struct SpendRow {
        var id: Int
        var name: String
        var calls: Int
        var tokens: String
        var cost: String
    }

    /// A rubber-stamp alert, linking to the reviewer's decisions in the queue.
    struct Alert {
        var text: String
        var link: String
    }

    struct PhaseRow {
        var id: Int
        var name: String
        var phase: String
        var paused: Bool
    }

    var page: PageChrome
    var manager: Bool
    /// Managers' first screen: "are we OK?" (nil for an SDR).
    var glance: DashboardGlance?
    var clients: [QueuePage.Option]
    var from: String
    var to: String
    var query: String
    var totals: [Figure]
    var reasons: [ReasonRow]
    var hasReasons: Bool
    var weeks: [WeekRow]
    var reviewers: [ReviewerRow]
    var hasReviewers: Bool
    var alerts: [Alert]
    var hasAlerts: Bool
    var phases: [PhaseRow]
    var spend: [SpendRow]
    var hasSpend: Bool
    var reasonsChart: String
    var weeksChart: String
    var histogramChart: String
    var reviewTimesChart: String
    /// "What converts": outcome rates of the emails sent in the range.
    var outcomes: OutcomeSection
    /// Prompt experiments running, or ended in the range, of the clients shown (managers).
    var experiments: [ExperimentTable]
    var hasExperiments: Bool
}
