import Foundation

/// An `InputStream` over the checked UTF-8 of a ``UTF8Transcoder``, for CSV.swift's `CSVReader` to read.
///
/// It hands out text a chunk at a time, so memory does not grow with the file, and watches the shape
/// of the CSV as it goes (``CSVShapeCheck``). A problem — bytes that are not text, bad quoting, a record
/// over 1 MB — stops the text just before it: the reader gets everything up to there, then `read`
/// returns -1 (CSV.swift sets its `error`), and ``problem`` says what happened and in which row.
///
/// Owned by one reader: not thread-safe.
final class CSVTextStream: InputStream {
    /// Why the text stopped before its end.
    enum Problem: Equatable {
        /// The bytes could not be turned into text from `row` on.
        case text(TextProblem, row: Int)
        /// The CSV's quoting or a record's length is wrong.
        case shape(CSVShapeCheck.Problem)
    }

    /// The problem `read` has returned -1 for, if any.
    private(set) var problem: Problem?

    private let text: UTF8Transcoder
    private var shape = CSVShapeCheck(delimiter: UInt8(ascii: ","))
    private var pending: [UInt8] = []
    private var index = 0
    private var textIsDone = false
    /// A text problem met while reading ahead, raised once the text before it is handed out.
    private var textProblem: TextProblem?
    private var status = Stream.Status.notOpen

    init(_ text: UTF8Transcoder) {
        self.text = text
        super.init(data: Data())
    }

    /// Sets the delimiter the shape check uses; call before the first `read`.
    func use(delimiter: UInt8) {
        shape = CSVShapeCheck(delimiter: delimiter)
    }

    /// The text read ahead and not handed out yet.
    var readAheadText: ArraySlice<UInt8> { pending[index...] }

    /// Reads one more piece of text ahead, after ``readAheadText``; `false` at the end or at a problem.
    func readAhead() -> Bool {
        guard let more = pull() else { return false }
        pending += more
        return true
    }

    private func pull() -> [UInt8]? {
        guard !textIsDone, textProblem == nil else { return nil }
        do {
            if let more = try text.next() { return more }
            textIsDone = true
        } catch {
            textProblem = error
        }
        return nil
    }

    // MARK: - InputStream

    override func open() { status = .open }
    override func close() { status = .closed }
    override var streamStatus: Stream.Status { status }
    override var streamError: (any Error)? { nil }

    override var hasBytesAvailable: Bool {
        if problem != nil || index < pending.count { return true }
        if let more = pull() {
            pending = more
            index = 0
            return true
        }
        return textProblem != nil || shape.finish() != nil
    }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength: Int) -> Int {
        guard problem == nil else { return -1 }
        if index == pending.count, let more = pull() {
            pending = more
            index = 0
        }
        guard index < pending.count else {
            if let textProblem {
                problem = .text(textProblem, row: shape.row)
            } else if let shapeProblem = shape.finish() {
                problem = .shape(shapeProblem)
            }
            return problem == nil ? 0 : -1
        }
        let count = min(maxLength, pending.count - index)
        let accepted = pending.withUnsafeBufferPointer { all in
            let piece = UnsafeBufferPointer(rebasing: all[index..<(index + count)])
            let accepted = shape.accept(piece)
            if accepted > 0 {
                buffer.update(from: piece.baseAddress!, count: accepted)
            }
            return accepted
        }
        index += accepted
        if accepted == 0, let shapeProblem = shape.problem {
            problem = .shape(shapeProblem)
            return -1
        }
        return accepted
    }
}
