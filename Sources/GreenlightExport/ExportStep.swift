/// The steps of an export run, in order (all durable but the batch's read). A test hook runs after each one and may throw to
/// stop the run there, as a crash would: the next run must resume from what the ledger says.
public enum ExportStep: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The run and the emails it will export are recorded.
    case claimed
    /// A campaign is recorded as `creating`, before the call that creates it.
    case campaignRecorded
    /// The sequencer created the campaign; its id is not recorded yet.
    case campaignCreated
    /// The campaign's id is recorded, and whether it is still to be started.
    case campaignSaved
    /// The next batch's claimed emails are read; nothing is written yet (an undo may still come).
    case batchRead
    /// A batch of leads is recorded as `sending`, before its call.
    case batchMarked
    /// The sequencer took the batch; the leads' ids are not recorded yet.
    case batchAdded
    /// The batch's emails are recorded `sent` with their ids.
    case batchRecorded
    /// The sequencer started the campaign; that it did is not recorded yet.
    case activationCalled
    /// The campaign is recorded as started (when the settings say so).
    case activated

    public var description: String {
        switch self {
        case .claimed: return "claimed"
        case .campaignRecorded: return "campaign recorded"
        case .campaignCreated: return "campaign created"
        case .campaignSaved: return "campaign saved"
        case .batchRead: return "batch read"
        case .batchMarked: return "batch marked"
        case .batchAdded: return "batch added"
        case .batchRecorded: return "batch recorded"
        case .activationCalled: return "activation called"
        case .activated: return "activated"
        }
    }
}
