import GreenlightCore

/// Where an import's batch stands, as `contact_batches.status` stores it.
public enum BatchStatus: String, StoredStatus {
    /// Rows are being written; a batch left here by a killed process is removed (``AbandonedImports``).
    case importing
    /// Every row written; nothing drafted yet.
    case imported
    /// Drafting has started.
    case generating
    /// Every contact drafted.
    case generated
    case failed

    /// A queued batch the draft workers still take contacts from.
    public static let drafting: [BatchStatus] = [.imported, .generating]

    /// `('imported', 'generating')`.
    package static let draftingSQL = sqlList(drafting)
}
