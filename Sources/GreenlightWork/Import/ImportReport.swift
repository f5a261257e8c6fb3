import Foundation
/// What an import did: the batch it created, how many rows it took, and every row it skipped and why.
public struct ImportReport: Sendable, Equatable, Codable {
    /// A row that was not imported.
    public struct SkippedRow: Sendable, Equatable, Codable {
        public var row: Int
        public var email: String
        public var reason: String
    }

    public var batchID: Int
    public var fileName: String
    public var encoding: String
    public var delimiter: String
    public var rowsRead: Int
    public var imported: Int
    public var skipped: [SkippedRow]
}
