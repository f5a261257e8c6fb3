import Foundation
/// The review queue page's view model.
struct QueuePage {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    var page: PageChrome
    /// What the last action said (a plain form's decision, a bulk action, an undo).
    var flash: String?
    var flashIsError: Bool
    /// The email a plain form just decided: the flash offers to undo it.
    var undoID: Int?
    /// "14": the viewer's decisions today that still stand.
    var doneToday: String
    /// "114" or "1,000+": what awaits review under these filters.
    var left: String
    var leftCount: Int
    /// The list shows what awaits review: deciding a card takes it off, and an empty list means done.
    var awaitingOnly: Bool
    /// Where the cards go: ``CardCache/slot``, replaced by the rendered cards.
    var cardsSlot: String
    var hasCards: Bool
    /// Some email on the page awaits review: the bulk form has something to act on.
    var canBulk: Bool
    var total: String
    var totalText: String
    var shownFrom: Int
    var shownTo: Int
    var nextURL: String?
    var firstURL: String?
    var clients: [Option]
    var templates: [Option]
    var statuses: [Option]
    var batch: String
    var from: String
    var to: String
    var minScore: String
    var maxScore: String
    var search: String
    /// The reviewer whose decisions the list is narrowed to (kept by the filter form), "" for none.
    var reviewer: String
    var hasFilters: Bool
    var returnTo: String
    var csrf: String
    var filterError: String?
}
