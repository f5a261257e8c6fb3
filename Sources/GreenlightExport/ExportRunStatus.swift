import GreenlightCore

/// Where an export run stands, as `export_runs.status` stores it.
public enum ExportRunStatus: String, StoredStatus {
    /// A sequencer run at work (or left unfinished by a crash: the next run resumes it).
    case running
    /// A CSV file prepared, waiting for the user to say it was uploaded.
    case awaitingUpload = "awaiting_upload"
    case finished
    case failed
    /// Stopped by the kill switch.
    case stopped
    /// Given up by a manager: its unanswered leads settled with the sequencer, the rest approved again.
    case abandoned
    /// A CSV file not uploaded: its emails stay approved.
    case cancelled
}
