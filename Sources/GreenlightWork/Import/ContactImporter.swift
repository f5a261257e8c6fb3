import Foundation
import SQLKit
import GreenlightCore

/// Imports a contact CSV for one client and template: good rows become contacts of a new
/// batch, bad rows are reported one by one.
///
/// The file is streamed: read a chunk at a time (``CSVRecordReader``), checked and written
/// ``rowsPerChunk`` rows at a time, each chunk in its own transaction (``ImportBatchWriter``), so
/// memory stays flat however many rows the file has and other writers get their turn between chunks.
/// Duplicates are found by the database's unique index, not by a list of every address in memory.
/// Only the skipped rows (the report) are kept. If the import fails part-way, its batch and contacts
/// are deleted and the error rethrown: a failed import changes nothing.
public struct ContactImporter: Sendable {
    let database: Database
    let clock: TimeSource
    /// Rows written per transaction.
    let rowsPerChunk: Int
    /// Runs after each chunk is written, with the number written so far. Tests throw from it to make
    /// an import fail part-way.
    var afterChunk: @Sendable (Int) async throws -> Void = { _ in }

    public init(database: Database, clock: TimeSource = .system) {
        self.init(database: database, rowsPerChunk: 1000, clock: clock)
    }

    init(database: Database, rowsPerChunk: Int, clock: TimeSource = .system) {
        precondition(rowsPerChunk > 0)
        self.database = database
        self.clock = clock
        self.rowsPerChunk = rowsPerChunk
    }

    /// Imports the CSV at `source` into a new batch and reports what it did.
    ///
    /// Throws ``ImportError`` for a file it cannot take (unreadable, empty, binary, no email or
    /// company column, no contact rows, text that breaks its encoding part-way); nothing is stored then.
    /// - Parameter queuedAt: queue the batch for the drafting workers, in the write that ends the import.
    public func importCSV(_ source: ImportSource, fileName: String, clientID: Int, templateID: Int, userID: Int? = nil, queuedAt: Int? = nil)
        async throws -> ImportReport
    {
        let reader = try CSVRecordReader(source)
        return try await importRecords(
            header: reader.header, next: { try reader.next() }, fileName: fileName, encoding: reader.encoding.reportName,
            delimiter: reader.delimiterName, clientID: clientID, templateID: templateID, userID: userID, queuedAt: queuedAt)
    }

    /// Imports contacts given as JSON objects (the job API): each object a row, its keys the columns
    /// (the same loose names a CSV header may use), checked exactly like CSV rows, row numbers from 1.
    public func importObjects(_ objects: [[String: String]], source: String, clientID: Int, templateID: Int, userID: Int? = nil, queuedAt: Int? = nil)
        async throws -> ImportReport
    {
        guard !objects.isEmpty else { throw ImportError("no contacts were given") }
        var header: [String] = []
        for object in objects { for key in object.keys.sorted() where !header.contains(key) { header.append(key) } }
        var index = 0
        let rows = objects.map { object in header.map { object[$0] ?? "" } }
        return try await importRecords(
            header: header,
            next: {
                guard index < rows.count else { return nil }
                index += 1
                return CSVRecordReader.Record(rowNumber: index, fields: rows[index - 1])
            }, fileName: source, encoding: "JSON", delimiter: "none", clientID: clientID, templateID: templateID, userID: userID, queuedAt: queuedAt)
    }

    /// The import itself, from any source of records under a header.
    private func importRecords(
        header: [String], next: () throws -> CSVRecordReader.Record?, fileName: String, encoding: String, delimiter: String,
        clientID: Int, templateID: Int, userID: Int?, queuedAt: Int?
    ) async throws -> ImportReport {
        let columns = try ContactColumns(header: header)
        guard var record = try next() else {
            throw ImportError("the file has a header but no contact rows")
        }
        let writer = ImportBatchWriter(database: database, clientID: clientID, clock: clock)
        let batchID = try await writer.create(templateID: templateID, fileName: fileName, userID: userID)
        do {
            var rowsRead = 0
            var imported = 0
            var skipped: [ImportReport.SkippedRow] = []
            var chunks = 0
            var chunk: [ContactRow] = []
            chunk.reserveCapacity(rowsPerChunk)
            func write() async throws {
                let result = try await writer.insert(chunk, batchID: batchID)
                imported += result.imported
                skipped += result.skipped
                chunk.removeAll(keepingCapacity: true)
                chunks += 1
                try await afterChunk(chunks)
            }
            while true {
                rowsRead += 1
                switch ContactRow.make(from: record, columns: columns, columnCount: header.count) {
                case .success(let row): chunk.append(row)
                case .failure(let skip): skipped.append(skip)
                }
                if chunk.count == rowsPerChunk { try await write() }
                guard let following = try next() else { break }
                record = following
            }
            if !chunk.isEmpty { try await write() }
            skipped.sort { $0.row < $1.row }
            try await writer.finish(batchID: batchID, rowsRead: rowsRead, imported: imported, skipped: skipped, queuedAt: queuedAt)
            return ImportReport(
                batchID: batchID, fileName: fileName, encoding: encoding, delimiter: delimiter,
                rowsRead: rowsRead, imported: imported, skipped: skipped
            )
        } catch {
            try await discard(batchID: batchID, writer: writer, after: error)
            throw error
        }
    }

    /// Removes a failed import's batch. It runs in a task of its own, so it still runs when the import
    /// was cancelled; if it fails too, the error says which batch is left over.
    private func discard(batchID: Int, writer: ImportBatchWriter, after failure: any Error) async throws {
        do {
            try await Task { try await writer.discard(batchID: batchID) }.value
        } catch {
            throw StorageError(
                "the import failed (\(failure)) and removing its unfinished batch \(batchID) failed too (\(error)): delete that batch by hand")
        }
    }
}
