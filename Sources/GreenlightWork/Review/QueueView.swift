import GreenlightCore
import GreenlightEmails

/// Everything the review queue's screen reads for one request: a page of emails under a filter,
/// how many there are, what is left to review, the viewer's decisions today, and the clients and
/// templates its filter offers. The web page is built from this; nothing here knows HTML.
public struct QueueView: Sendable {
    public var filter: QueueFilter
    public var cursor: QueueCursor?
    public var page: ReviewQueue.RecordPage
    /// Emails under the filter, counted up to `cap`. A search is not counted (counting every match
    /// of a common word is the slow part of a search): its total is the page's, and its cap says
    /// "or more" when there is a next page.
    public var total: Int
    public var cap: Int
    /// What awaits review under the filter (its status and search set aside), up to the count cap.
    public var left: Int
    /// The viewer's decisions today that still stand.
    public var doneToday: Int
    public var clients: [(id: Int, name: String)]
    public var templates: [TemplateRecord]

    /// Reads the view for a viewer who sees `clientIDs` (nil: all).
    public static func read(
        _ database: Database, clock: TimeSource, filter: QueueFilter, after cursor: QueueCursor?, clientIDs: [Int]?, viewerID: Int
    ) async throws -> QueueView {
        let queue = ReviewQueue(database: database, clock: clock)
        let cap = ReviewQueue.headerCountCap
        let page = try await queue.records(filter, after: cursor, clientIDs: clientIDs)
        let (total, totalCap) =
            filter.search == nil
            ? (try await queue.count(filter, clientIDs: clientIDs, cap: cap), cap)
            : (page.records.count, page.next == nil ? Int.max : page.records.count)
        var waiting = filter
        waiting.status = .awaitingReview
        waiting.search = nil
        let left =
            filter.status == .awaitingReview && filter.search == nil
            ? total : try await queue.count(waiting, clientIDs: clientIDs, cap: cap)
        let doneToday = try await ReviewProgress.doneToday(database, reviewerID: viewerID, clientIDs: clientIDs, now: clock.nowMillis())
        let clients = try await ClientRepository(database: database, clock: clock).names(ids: clientIDs)
        let visible = Set(clients.map(\.id))
        let templates = try await TemplateRepository(database: database, clock: clock).all(clientID: filter.clientID).filter {
            visible.contains($0.clientID)
        }
        return QueueView(
            filter: filter, cursor: cursor, page: page, total: total, cap: totalCap, left: left, doneToday: doneToday, clients: clients,
            templates: templates)
    }
}
