import Foundation

/// The export page's view model.
struct ExportPage {
    struct PreviewRow {
        var campaign: String
        var count: Int
        var contacts: String
        /// The first emails as they will go: subject and text.
        var samples: [SampleRow]
    }

    /// One email of the preview, as the lead will receive it.
    struct SampleRow {
        var contact: String
        var subject: String
        var body: String
    }

    /// A CSV file just prepared: its download and its confirm / cancel buttons, in the message itself.
    struct PreparedFile {
        var runID: Int
        var count: Int
    }

    struct ItemRow {
        var email: String
        var status: String
        var lead: String
        var error: String
    }

    struct RunRow {
        var id: Int
        /// How many emails the run took.
        var claimed: Int
        var started: String
        var trigger: String
        /// In words ("waiting for upload").
        var status: String
        var counts: String
        /// Why the run stopped; nil when nothing went wrong.
        var error: String?
        /// The campaigns it made or filled; nil when none.
        var campaigns: String?
        var items: [ItemRow]
        var hasItems: Bool
        /// A CSV file waiting for the user to say it was uploaded.
        var awaiting: Bool
        /// The client's unfinished run, with no task working on it: a manager may abandon it.
        var abandonable: Bool
    }

    var page: PageChrome
    var clientID: Int
    var clientName: String
    var sequencer: String
    var connection: ExportConnectionForm
    var settings: String
    var form: ExportSettingsForm
    /// What is wrong with the settings just posted; nil when nothing was posted or it was right.
    var formError: String?
    var next: String
    /// A campaign created but not started yet.
    struct WaitingRow {
        var run: Int
        var name: String
        var id: String
        var error: String?
    }

    var canRun: Bool
    /// The running task, said beside the disabled "Run now"; nil when none runs.
    var busy: String?
    var waiting: [WaitingRow]
    var hasWaiting: Bool
    var canActivate: Bool
    var preview: [PreviewRow]
    var hasPreview: Bool
    /// How the daily limit spreads the preview's leads over the sending days.
    var spread: String?
    var prepared: PreparedFile?
    /// An approved email no CSV file takes: a cell would start a formula.
    struct LeftOutRow {
        var emailID: Int
        var contact: String
        var column: String
        var character: String
    }

    var leftOut: [LeftOutRow]
    var hasLeftOut: Bool
    var runs: [RunRow]
    var hasRuns: Bool
    var csrf: String
    var webhook: Webhook

    /// Where the sequencer's webhooks reach Greenlight, and what they have brought.
    struct Webhook {
        /// When the address was made; nil before.
        var made: String?
        /// Just made: the addresses and the secret, shown this once.
        var fresh: Fresh?
        var received: String
        /// The webhook Greenlight subscribed at the vendor and its state, if it did.
        var subscription: String?
        /// The vendor disabled it: offer to resume.
        var disabled: Bool
    }

    /// A webhook address just made.
    struct Fresh {
        var instantly: String
        var smartlead: String
        var secret: String
        /// Said when Greenlight created the webhook at the vendor itself.
        var subscribed: String?
        /// Why it did not, and what to do instead.
        var note: String?
    }
}
