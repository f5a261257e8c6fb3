import GreenlightEmails
import GreenlightWork

extension QueuePage {
    /// The page for what the queue read; the cards themselves go in at `cardsSlot`.
    init(
        _ view: QueueView, chrome: PageChrome, flash: String?, undoID: Int?, cardsSlot: String, returnTo: String, csrf: String,
        filterError: String?
    ) {
        let filter = view.filter
        let records = view.page.records
        let cap = ReviewQueue.headerCountCap
        // The cards' own words: "Awaiting review" is both waiting statuses, as the queue shows them.
        let statusChoices: [(String, String)] =
            [("pending", "Awaiting review"), ("reviewed", "Reviewed"), ("all", "All")]
            + ReviewStatus.allCases.filter { $0 != .pendingReview }.map { ($0.rawValue, $0.label.prefix(1).uppercased() + $0.label.dropFirst()) }
        self.init(
            page: chrome,
            flash: flash,
            flashIsError: flash?.contains("already") ?? false,
            undoID: flash == nil ? nil : undoID,
            doneToday: QueueCount.grouped(view.doneToday),
            left: QueueCount.short(view.left, cap: cap),
            leftCount: view.left,
            awaitingOnly: filter.status == .awaitingReview,
            cardsSlot: cardsSlot,
            hasCards: !records.isEmpty,
            canBulk: records.contains { ReviewStatus(rawValue: $0.status)?.isAwaitingReview == true },
            total: QueueCount.short(view.total, cap: view.cap),
            totalText: QueueCount.sentence(view.total, cap: view.cap),
            shownFrom: records.isEmpty ? 0 : 1,
            shownTo: records.count,
            nextURL: view.page.next.map { QueueURL.make(filter, after: $0) },
            firstURL: view.cursor == nil ? nil : QueueURL.make(filter),
            clients: [Option(value: "", label: "All clients", selected: filter.clientID == nil)]
                + view.clients.map { Option(value: String($0.id), label: $0.name, selected: $0.id == filter.clientID) },
            templates: [Option(value: "", label: "All templates", selected: filter.templateID == nil)]
                + view.templates.map { Option(value: String($0.id), label: $0.template.name, selected: $0.id == filter.templateID) },
            statuses: statusChoices.map { Option(value: $0.0, label: $0.1, selected: $0.0 == filter.status.parameter) },
            batch: filter.batchID.map(String.init) ?? "",
            from: filter.from ?? "",
            to: filter.to ?? "",
            minScore: filter.minScore.map(String.init) ?? "",
            maxScore: filter.maxScore.map(String.init) ?? "",
            search: filter.search ?? "",
            reviewer: filter.reviewerID.map(String.init) ?? "",
            hasFilters: !filter.parameters.isEmpty,
            returnTo: returnTo,
            csrf: csrf,
            filterError: filterError
        )
    }
}
