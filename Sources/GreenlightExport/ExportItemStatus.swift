import GreenlightCore

/// Where one email stands in an export run, as `export_items.status` stores it.
public enum ExportItemStatus: String, StoredStatus {
    /// Taken by the run, not yet sent.
    case claimed
    /// In a batch whose call is out: a run killed then asks the sequencer which of them it holds.
    case sending
    /// The sequencer holds the lead.
    case sent
    /// The sequencer refused it; the error is kept and the email stays approved.
    case failed
    /// No longer the run's: unapproved, or the kill switch.
    case released

    /// The statuses of an item still open in its run; an email is open in one run at most.
    public static let open: [ExportItemStatus] = [.claimed, .sending]

    /// `('claimed', 'sending')`, as the unique index `export_items_open` is written.
    package static let openSQL = sqlList(open)
}
