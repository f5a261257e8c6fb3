import Foundation

/// Where a contact CSV's bytes come from: a file on disk, or bytes already in memory (an upload, a test).
///
/// Both are read the same way, a chunk at a time (``ByteChunks``), so an import's memory does not grow
/// with the file: a file is never loaded whole, and bytes in memory are not copied whole again.
public enum ImportSource: Sendable {
    /// A file, read a chunk at a time.
    case file(path: String)
    /// Bytes already in memory.
    case bytes([UInt8])
}
