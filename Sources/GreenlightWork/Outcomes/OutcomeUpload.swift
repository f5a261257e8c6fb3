import Foundation
import SQLKit
import GreenlightCore

/// A sequencer's lead export (CSV), uploaded by a team that exports by CSV and sends by hand: each row
/// says of one address whether the prospect replied, bounced or unsubscribed and their interest
/// status, and becomes the outcome events a webhook would have brought — attached to the email
/// Greenlight wrote to that address in a CSV file (never to one sent elsewhere), recorded only when
/// new (``OutcomeRecorder/recordMissing(_:events:clientID:now:)``: uploading the same export twice
/// records nothing twice), suppressing bounced, unsubscribed and wrong-person addresses.
///
/// Columns, by loose name (case, spaces and `_` ignored): `email` (required); `status` (a value
/// containing "bounce" or "unsubscribe"); `replies`/`reply count`/`replied` (a number above 0, or
/// yes/true); `interest`/`interest status`/`category`/`lead status` (Interested, Meeting booked,
/// Meeting completed, Won, Not interested, Wrong person, Out of office, Do not contact…);
/// `unsubscribed`/`bounced` (yes/true); `last reply`/`replied at` (a date; else the upload's time).
public struct OutcomeUpload: Sendable {
    /// What an upload did.
    public struct Report: Sendable, Equatable {
        public var rows = 0
        /// New outcome events recorded.
        public var recorded = 0
        /// Rows whose address Greenlight sent no CSV email to (their events kept aside).
        public var notSent = 0
        public var suppressed = 0
        /// Bounces and unsubscribes newly recorded for sent emails (for the outcome guard).
        public var bouncesOrUnsubscribes = 0
        /// Rows left out, with why.
        public var skipped: [ImportReport.SkippedRow] = []

        public var sentence: String {
            "\(rows) row\(rows == 1 ? "" : "s") read: \(recorded) new outcome\(recorded == 1 ? "" : "s")"
                + (notSent > 0 ? ", \(notSent) address\(notSent == 1 ? "" : "es") Greenlight did not send (kept aside)" : "")
                + (suppressed > 0 ? ", \(suppressed) address\(suppressed == 1 ? "" : "es") suppressed" : "")
                + (skipped.isEmpty ? "" : ", \(skipped.count) row\(skipped.count == 1 ? "" : "s") skipped")
        }
    }

    let database: Database
    let clock: TimeSource

    public init(database: Database, clock: TimeSource = .system) {
        self.database = database
        self.clock = clock
    }

    static func key(_ name: String) -> String { name.lowercased().filter { $0.isLetter || $0.isNumber } }

    static let emailNames: Set<String> = ["email", "emailaddress", "leademail", "toemail"]
    static let statusNames: Set<String> = ["status", "leadstatus"]
    static let replyNames: Set<String> = ["replies", "replycount", "replied", "emailreplycount", "repliescount"]
    static let interestNames: Set<String> = ["interest", "intereststatus", "ltintereststatus", "category", "leadcategory"]
    static let replyDateNames: Set<String> = ["lastreply", "repliedat", "timestamplastreply", "lastrepliedat", "replydate"]

    /// Reads the export and records what it says, in one transaction. Throws ``ImportError`` for a
    /// file that is not such an export (unreadable, no email column).
    public func record(_ source: ImportSource, clientID: Int) async throws -> Report {
        let reader = try CSVRecordReader(source)
        let keys = reader.header.map(Self.key)
        func column(_ names: Set<String>) -> Int? { keys.firstIndex { names.contains($0) } }
        guard let email = column(Self.emailNames) else {
            throw ImportError("the file has no email column: upload the lead export of your sequencer (a column named email)")
        }
        let status = column(Self.statusNames), replies = column(Self.replyNames), interest = column(Self.interestNames)
        let replyDate = column(Self.replyDateNames)
        let unsubscribed = column(["unsubscribed", "isunsubscribed"]), bounced = column(["bounced", "isbounced"])
        let now = clock.nowMillis()
        var report = Report()
        var events: [OutcomeEvent] = []
        var addresses: Set<String> = []
        while let record = try reader.next() {
            report.rows += 1
            func field(_ index: Int?) -> String { index.flatMap { $0 < record.fields.count ? record.fields[$0] : nil }?.trimmedWhitespace() ?? "" }
            let address = EmailAddress.normalize(field(email))
            guard EmailAddress.isValid(address) else {
                report.skipped.append(.init(row: record.rowNumber, email: field(email), reason: "not an email address"))
                continue
            }
            let at = Self.instant(field(replyDate)) ?? now
            func event(_ kind: OutcomeKind, _ label: String = "", type: String) -> OutcomeEvent {
                OutcomeEvent(
                    vendor: "csv", eventType: type, kind: kind, label: label, campaignID: "", leadEmail: address, step: 0,
                    occurredAt: kind == .reply ? at : now)
            }
            var found: [OutcomeEvent] = []
            let statusText = field(status).lowercased()
            if statusText.contains("bounce") || Self.yes(field(bounced)) { found.append(event(.bounce, type: "status")) }
            if statusText.contains("unsubscribe") || Self.yes(field(unsubscribed)) { found.append(event(.unsubscribe, type: "status")) }
            let replyText = field(replies)
            if (Int(replyText) ?? 0) > 0 || Self.yes(replyText) { found.append(event(.reply, type: "replies")) }
            let interestText = field(interest)
            if !interestText.isEmpty, Int(interestText) == nil {
                let (kind, label) = Self.interest(interestText)
                if kind != .other { found.append(event(kind, label, type: "interest")) }
            }
            if !found.isEmpty { addresses.insert(address) }
            events += found
        }
        let recordedEvents = events
        let sentTo = addresses
        let tally = try await database.write { sql in
            let sent = try await Self.sentByFile(sql, clientID: clientID, addresses: Array(sentTo))
            return (
                try await OutcomeRecorder.recordMissing(sql, events: recordedEvents, clientID: clientID, now: now), sentTo.subtracting(sent).count
            )
        }
        report.recorded = tally.0.stored
        report.suppressed = tally.0.suppressed
        report.bouncesOrUnsubscribes = tally.0.bouncesOrUnsubscribes
        report.notSent = tally.1
        return report
    }

    /// Of these addresses, those Greenlight wrote to the client's CSV files (emails sent without a campaign).
    static func sentByFile(_ sql: any SQLDatabase, clientID: Int, addresses: [String]) async throws -> Set<String> {
        guard !addresses.isEmpty else { return [] }
        return Set(
            try await sql.raw(
                """
                SELECT c.email_normalized AS email FROM contacts c JOIN generated_emails e ON e.contact_id = c.id WHERE c.client_id = \(bind: clientID)
                AND c.email_normalized IN (\(binds: addresses)) AND e.sent_at IS NOT NULL AND e.export_campaign_id IS NULL
                """
            ).all().map { try $0.decode(column: "email", as: String.self) })
    }

    static func yes(_ text: String) -> Bool { ["yes", "true", "1", "y"].contains(text.lowercased()) }

    /// An interest status or category as the sequencers' exports name it.
    static func interest(_ text: String) -> (OutcomeKind, String) {
        switch text.lowercased().replacingOccurrences(of: "_", with: " ") {
        case "interested": (.interest, InterestLabel.interested.rawValue)
        case "meeting booked", "meeting request": (.interest, InterestLabel.meetingBooked.rawValue)
        case "meeting completed": (.interest, InterestLabel.meetingCompleted.rawValue)
        case "won", "closed": (.interest, InterestLabel.won.rawValue)
        case "not interested": (.interest, InterestLabel.notInterested.rawValue)
        case "wrong person": (.interest, InterestLabel.wrongPerson.rawValue)
        case "out of office": (.interest, InterestLabel.outOfOffice.rawValue)
        case "lost": (.interest, InterestLabel.lost.rawValue)
        case "no show": (.interest, InterestLabel.noShow.rawValue)
        case "do not contact": (.unsubscribe, "")
        case "neutral", "lead", "": (.other, "")
        default: (.label, text)
        }
    }

    /// A date or date-time (ISO 8601, or `YYYY-MM-DD`), in milliseconds.
    static func instant(_ text: String) -> Int? {
        guard !text.isEmpty else { return nil }
        if let date = (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) ?? (try? Date(text, strategy: .iso8601))
        {
            return Int(date.timeIntervalSince1970 * 1000)
        }
        if text.count == 10, let day = LocalDay.dayNumber(of: text) { return day * 86_400_000 }
        return nil
    }
}
