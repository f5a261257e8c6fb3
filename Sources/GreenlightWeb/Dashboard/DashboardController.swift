import Foundation
import Hummingbird
import NIOCore
import GreenlightCore
import GreenlightEmails
import GreenlightWork

/// The analytics dashboard at `/dashboard`: for a date range and one client or all, how the
/// team reviews — totals and rates, review time, rejection reasons, week by week, per reviewer with
/// rubber-stamp alerts, the score histogram and each client's phase — with SVG charts and a CSV
/// download of every table. SDRs see their own progress only; managers their clients; admins all.
struct DashboardController {
    let views: ViewRenderer
    let database: Database
    let clock: TimeSource

    /// Approvals faster than this many seconds are flagged; so are streaks this long without an edit or rejection.
    static let rubberStampSeconds = DailyRollup.fastApprovalMilliseconds / 1000
    static let longStreak = 20

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/dashboard", use: show)
        router.get("/dashboard/csv", use: csv)
        router.get("/dashboard/chart", use: chart)
    }

    struct Selection {
        var range: DashboardRange
        var clientID: Int?
        var clientIDs: [Int]?
        var reviewerID: Int?
    }

    private func selection(_ request: Request, _ context: AppRequestContext) throws -> Selection {
        let user = try context.requireUser()
        let parameters = QueryString.parameters(request.uri.query ?? "")
        let range = try DashboardRange(from: parameters["from"], to: parameters["to"], now: clock.nowMillis())
        var clientIDs = context.visibleClientIDs
        var clientID: Int?
        if let text = parameters["client"], !text.isEmpty {
            guard let id = Int(text), id > 0 else { throw InputError(field: "client", "client must be a client's id, got \"\(text)\"") }
            if let visible = clientIDs, !visible.contains(id) { throw NotFound("client \(id)") }
            clientID = id
            clientIDs = [id]
        }
        let manager = user.role.permissions.contains(.manageRollout)
        return Selection(range: range, clientID: clientID, clientIDs: clientIDs, reviewerID: manager ? nil : user.id)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let manager = user.role.permissions.contains(.manageRollout)
        let selection: Selection
        do {
            selection = try self.selection(request, context)
        } catch let error as InputError {
            return try views.response(
                "error", ErrorPage(page: PageChrome(title: "Dashboard", context: context), status: 422, message: error.message),
                status: .unprocessableContent)
        }
        let figures = try await DashboardFigures.read(
            database, range: selection.range, clientIDs: selection.clientIDs, reviewerID: selection.reviewerID, now: clock.nowMillis())
        let outcomes = try await OutcomeFigures.read(
            database, range: selection.range, clientIDs: selection.clientIDs, reviewerID: selection.reviewerID)
        let clients = try await ClientRepository(database: database, clock: clock).names(ids: context.visibleClientIDs)
        let states = manager ? try await RolloutRepository(database: database, clock: clock).states(clientIDs: selection.clientIDs) : []
        let names = Dictionary(uniqueKeysWithValues: clients.map { ($0.id, $0.name) })
        let spend =
            manager
            ? try await SpendLedger(database: database, clock: clock)
                .byClient(clientIDs: selection.clientIDs, since: selection.range.startMillis, until: selection.range.endMillis)
                .map {
                    DashboardPage.SpendRow(
                        id: $0.clientID, name: names[$0.clientID] ?? "client \($0.clientID)", calls: $0.calls, tokens: QueueCount.grouped($0.tokens),
                        cost: $0.cost)
                } : []
        var experiments: [ExperimentTable] = []
        if manager {
            for experiment in try await PromptExperiments(database: database, clock: clock).recent(
                clientIDs: selection.clientIDs, since: selection.range.startMillis)
            {
                experiments.append(
                    ExperimentTable(
                        try await ExperimentComparison.read(database, experiment: experiment),
                        clientName: names[experiment.clientID] ?? "client \(experiment.clientID)"))
            }
        }
        var query = "from=\(selection.range.from)&to=\(selection.range.to)"
        if let clientID = selection.clientID { query += "&client=\(clientID)" }
        let percent = RolloutFigures.percent
        var totals: [DashboardPage.Figure] = []
        if manager {
            totals.append(.init(label: "Drafts made", value: String(figures.generated)))
            for status in ReviewStatus.allCases {
                totals.append(
                    .init(
                        label: status.label.prefix(1).uppercased() + status.label.dropFirst(),
                        value: String(figures.byStatus[status.rawValue, default: 0])))
            }
            totals.append(.init(label: "Auto-approval rate", value: percent(figures.autoApprovalRate)))
            totals.append(.init(label: "Average quality score", value: figures.averageScore.map { String(format: "%.1f", $0) } ?? "—"))
        }
        totals += [
            .init(label: "Human decisions", value: String(figures.decisions.total)),
            .init(label: "Approval rate (edits included)", value: percent(figures.approvalRate)),
            .init(label: "Edit rate", value: percent(figures.editRate)),
            .init(label: "Rejection rate", value: percent(figures.rejectionRate)),
            .init(label: "Average review time", value: figures.averageReviewSeconds.map { String(format: "%.1f s", $0) } ?? "—"),
        ]
        if manager { totals.append(.init(label: "Median review time", value: figures.medianReviewBand?.label ?? "—")) }
        let rejected = max(1, figures.decisions.rejected)
        let reasonLabel = { (code: String) in RejectionReason(rawValue: code)?.label ?? code }
        let weekRates = Self.weekRates(figures)
        var alerts: [DashboardPage.Alert] = []
        for reviewer in figures.reviewers {
            let link = "/review?status=reviewed&reviewer=\(reviewer.id)" + (selection.clientID.map { "&client=\($0)" } ?? "")
            if reviewer.fastApprovals > 0 {
                alerts.append(
                    .init(
                        text:
                            "\(reviewer.name) approved \(reviewer.fastApprovals) email\(reviewer.fastApprovals == 1 ? "" : "s") in under \(Self.rubberStampSeconds) seconds (\(selection.range.from) to \(selection.range.to)).",
                        link: link))
            }
            if reviewer.longestApproveStreak >= Self.longStreak {
                alerts.append(
                    .init(
                        text:
                            "\(reviewer.name) approved \(reviewer.longestApproveStreak) emails in a row without an edit or a rejection (\(selection.range.from) to \(selection.range.to)).",
                        link: link))
            }
        }
        let glance =
            manager
            ? try await DashboardGlance.read(database: database, clock: clock, states: states, clientIDs: selection.clientIDs, alerts: alerts.count)
            : nil
        let model = DashboardPage(
            page: PageChrome(title: "Dashboard", context: context, section: .init(dashboard: true)),
            manager: manager,
            glance: glance,
            clients: [.init(value: "", label: "All clients", selected: selection.clientID == nil)]
                + clients.map { .init(value: String($0.id), label: $0.name, selected: $0.id == selection.clientID) },
            from: selection.range.from, to: selection.range.to, query: query,
            totals: totals,
            reasons: figures.reasons.map {
                .init(reason: reasonLabel($0.reason), count: $0.count, share: percent(Double($0.count) / Double(rejected)))
            },
            hasReasons: !figures.reasons.isEmpty,
            weeks: zip(figures.weeks, weekRates).map { week, rates in
                .init(
                    start: week.start, decisions: week.decisions.total, approval: percent(rates.0), edit: percent(rates.1),
                    rejection: percent(rates.2))
            },
            reviewers: figures.reviewers.map {
                .init(
                    name: $0.name, today: $0.today, thisWeek: $0.thisWeek, decisions: $0.decisions.total, approved: $0.decisions.approved,
                    edited: $0.decisions.edited,
                    rejected: $0.decisions.rejected, averageTime: $0.averageSeconds.map { String(format: "%.1f s", $0) } ?? "—",
                    fastApprovals: $0.fastApprovals, longestStreak: $0.longestApproveStreak)
            },
            hasReviewers: !figures.reviewers.isEmpty,
            alerts: alerts, hasAlerts: !alerts.isEmpty,
            phases: states.map { .init(id: $0.clientID, name: $0.clientName, phase: $0.phase.rawValue, paused: $0.paused) },
            spend: spend, hasSpend: !spend.isEmpty,
            reasonsChart: Self.reasonsChart(figures).textAlternative,
            weeksChart: Self.weeksChart(figures).textAlternative,
            histogramChart: manager ? Self.histogramChart(figures).textAlternative : "",
            reviewTimesChart: manager ? Self.reviewTimesChart(figures).textAlternative : "",
            outcomes: OutcomeSection(outcomes),
            experiments: experiments, hasExperiments: !experiments.isEmpty
        )
        return try views.response("dashboard", model)
    }

    static func reasonsChart(_ figures: DashboardFigures) -> BarChart {
        BarChart(
            id: "reasons", title: "Rejection reasons", categoryAxisLabel: "Reason", valueAxisLabel: "Rejections",
            bars: figures.reasons.map { .init(label: RejectionReason(rawValue: $0.reason)?.label ?? $0.reason, value: Double($0.count)) })
    }

    static func weekRates(_ figures: DashboardFigures) -> [(Double?, Double?, Double?)] {
        figures.weeks.map { week in
            let total = week.decisions.total
            guard total > 0 else { return (nil, nil, nil) }
            return (
                Double(week.decisions.approved + week.decisions.edited) / Double(total), Double(week.decisions.edited) / Double(total),
                Double(week.decisions.rejected) / Double(total)
            )
        }
    }

    static func weeksChart(_ figures: DashboardFigures) -> LineChart {
        let rates = weekRates(figures)
        // Approval (edits included) is what rejection leaves: the chart shows edits and rejections on a
        // scale of their own, where a few points' change is visible (the table has all three).
        return LineChart(
            id: "weeks", title: "Edit and rejection rates, week by week (approval is the rest)", categoryAxisLabel: "Week starting",
            valueAxisLabel: "Share of decisions",
            categories: figures.weeks.map(\.start),
            series: [.init(name: "Edit", values: rates.map(\.1)), .init(name: "Rejection", values: rates.map(\.2))])
    }

    /// A range without drafts draws "No data", as the week chart does, rather than ten empty bands.
    static func histogramChart(_ figures: DashboardFigures) -> BarChart {
        BarChart(
            id: "histogram", title: "Quality scores of drafts made", categoryAxisLabel: "Score band", valueAxisLabel: "Drafts",
            bars: figures.histogram.allSatisfy { $0 == 0 }
                ? []
                : figures.histogram.enumerated().map {
                    .init(label: $0.offset == 9 ? "90–100" : "\($0.offset * 10)–\($0.offset * 10 + 9)", value: Double($0.element))
                })
    }

    static func reviewTimesChart(_ figures: DashboardFigures) -> BarChart {
        BarChart(
            id: "review-times", title: "Review times of human decisions", categoryAxisLabel: "Seconds", valueAxisLabel: "Decisions",
            bars: figures.reviewTimes.allSatisfy { $0 == 0 }
                ? []
                : figures.reviewTimes.enumerated().map { .init(label: reviewTimeLabel($0.offset), value: Double($0.element)) })
    }

    static func reviewTimeLabel(_ index: Int) -> String {
        let bounds = DailyRollup.reviewTimeBuckets
        return index + 1 < bounds.count ? "\(bounds[index])–\(bounds[index + 1])" : "\(bounds[index])+"
    }

    /// A chart of the dashboard as an SVG image (`chart` = reasons, weeks, histogram, review-times, or
    /// outcomes with `by=score-band`), for the same range and client; the page shows it with its text
    /// alternative as `alt`.
    @Sendable func chart(_ request: Request, context: AppRequestContext) async throws -> Response {
        let selection = try self.selection(request, context)
        if request.uri.queryParameters.get("chart") == "outcomes" { return try await outcomeChart(request, selection: selection) }
        let figures = try await DashboardFigures.read(
            database, range: selection.range, clientIDs: selection.clientIDs, reviewerID: selection.reviewerID, now: clock.nowMillis())
        let svg: String
        switch request.uri.queryParameters.get("chart") ?? "" {
        case "reasons": svg = Self.reasonsChart(figures).render()
        case "weeks": svg = Self.weeksChart(figures).render()
        case "histogram": svg = Self.histogramChart(figures).render()
        case "review-times": svg = Self.reviewTimesChart(figures).render()
        default: throw InputError(field: "chart", "chart must be one of reasons, weeks, histogram, review-times")
        }
        return Self.svgResponse(svg)
    }

    /// An SVG chart as a standalone image.
    static func svgResponse(_ svg: String) -> Response {
        let document =
            svg.hasPrefix("<svg") ? svg.replacingOccurrences(of: "<svg", with: "<svg xmlns=\"http://www.w3.org/2000/svg\"", options: .anchored) : svg
        return Response(
            status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: document)))
    }

    /// Every table of the dashboard as CSV (`table` = totals, reasons, weeks, reviewers, histogram,
    /// review-times, or outcomes with `by` naming a breakdown),
    /// for the same range and client; cells that a spreadsheet would run as a formula are neutralised.
    @Sendable func csv(_ request: Request, context: AppRequestContext) async throws -> Response {
        let selection = try self.selection(request, context)
        let table = request.uri.queryParameters.get("table") ?? "totals"
        if table == "outcomes" { return try await outcomeCSV(request, selection: selection) }
        let figures = try await DashboardFigures.read(
            database, range: selection.range, clientIDs: selection.clientIDs, reviewerID: selection.reviewerID, now: clock.nowMillis())
        let download: CSVDownload
        switch table {
        case "totals":
            var rows: [[CSVDownload.Cell]] = [
                [.text("generated"), .integer(figures.generated)], [.text("auto_approved"), .integer(figures.autoApproved)],
                [.text("human_approved"), .integer(figures.decisions.approved)], [.text("human_edited"), .integer(figures.decisions.edited)],
                [.text("human_rejected"), .integer(figures.decisions.rejected)],
            ]
            rows += ReviewStatus.allCases.map { [.text("status_" + $0.rawValue), .integer(figures.byStatus[$0.rawValue, default: 0])] }
            download = CSVDownload(header: ["figure", "value"], rows: rows)
        case "reasons":
            download = CSVDownload(
                header: ["reason", "rejections", "share"],
                rows: figures.reasons.map {
                    [.text($0.reason), .integer($0.count), .number(Double($0.count) / Double(max(1, figures.decisions.rejected)))]
                })
        case "weeks":
            download = CSVDownload(
                header: ["week_start", "decisions", "approved", "edited", "rejected"],
                rows: figures.weeks.map {
                    [
                        .text($0.start), .integer($0.decisions.total), .integer($0.decisions.approved), .integer($0.decisions.edited),
                        .integer($0.decisions.rejected),
                    ]
                })
        case "reviewers":
            download = CSVDownload(
                header: [
                    "reviewer", "decisions", "approved", "edited", "rejected", "average_seconds", "approvals_under_\(Self.rubberStampSeconds)s",
                    "longest_approve_streak", "today", "last_7_days",
                ],
                rows: figures.reviewers.map {
                    [
                        .text($0.name), .integer($0.decisions.total), .integer($0.decisions.approved), .integer($0.decisions.edited),
                        .integer($0.decisions.rejected),
                        $0.averageSeconds.map { .number(($0 * 10).rounded() / 10) } ?? .text(""), .integer($0.fastApprovals),
                        .integer($0.longestApproveStreak), .integer($0.today), .integer($0.thisWeek),
                    ]
                })
        case "histogram":
            download = CSVDownload(
                header: ["score_band", "drafts"],
                rows: figures.histogram.enumerated().map {
                    [.text($0.offset == 9 ? "90-100" : "\($0.offset * 10)-\($0.offset * 10 + 9)"), .integer($0.element)]
                })
        case "review-times":
            download = CSVDownload(
                header: ["seconds", "decisions"],
                rows: figures.reviewTimes.enumerated().map {
                    [.text(Self.reviewTimeLabel($0.offset)), .integer($0.element)]
                })
        default:
            throw InputError(field: "table", "table must be one of totals, reasons, weeks, reviewers, histogram, review-times")
        }
        return Self.csvResponse(download, name: "greenlight-\(table)-\(selection.range.from)-\(selection.range.to).csv")
    }

    /// A CSV file offered for download under `name`.
    static func csvResponse(_ download: CSVDownload, name: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: CSVDownload.contentType, .contentDisposition: CSVDownload.contentDisposition(filename: name), .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: download.bytes())))
    }
}
