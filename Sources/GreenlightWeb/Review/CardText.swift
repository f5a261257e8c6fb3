import Foundation

/// An email's text cut into the stretches a card writes: each filled agent variable marked where its
/// value stands in the text (with its name and confidence in words, not by colour alone), and within
/// the text the words the grounding check found unsupported.
///
/// The pieces are flat, so the template writes `<mark>` when a variable opens and `</mark>` after
/// its label when it closes; a flagged stretch never crosses a variable's edge (it is cut there).
enum CardText {
    /// One stretch of the text.
    struct Piece: Equatable {
        var text: String
        var flagged: Bool
        /// A variable's value starts here: its mark opens before the text.
        var opens: Mark?
        /// A variable's value ends here: its label and the mark's end follow the text.
        var closes: Mark?
    }

    /// A variable as the mark names it.
    struct Mark: Equatable {
        var name: String
        /// `high`, `medium` or `low`: the class that colours it and the word that says it.
        var confidence: String
    }

    /// A variable's confidence (1–5) in words: 4–5 high, 3 medium, 1–2 low.
    static func confidenceWord(_ confidence: Int) -> String {
        switch confidence {
        case 4...: "high"
        case 3: "medium"
        default: "low"
        }
    }

    /// `text` in pieces: every occurrence of each variable's value marked (longer values first where
    /// two would overlap, values under 3 characters never), and every flagged word.
    static func pieces(of text: String, variables: [(name: String, value: String, confidence: Int)], flagged words: [String]) -> [Piece] {
        var marks: [(Range<String.Index>, Mark)] = []
        for variable in variables.sorted(by: { $0.value.count > $1.value.count }) {
            let value = variable.value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard value.count >= 3 else { continue }
            let mark = Mark(name: variable.name, confidence: confidenceWord(variable.confidence))
            for range in occurrences(of: value, in: text) where !marks.contains(where: { $0.0.overlaps(range) }) {
                marks.append((range, mark))
            }
        }
        var flags: [Range<String.Index>] = []
        for word in Set(words).sorted(by: { $0.count > $1.count }) where !word.isEmpty {
            for range in occurrences(of: word, in: text) where !flags.contains(where: { $0.overlaps(range) }) {
                flags.append(range)
            }
        }
        var edges = Set([text.startIndex, text.endIndex])
        for (range, _) in marks { edges.formUnion([range.lowerBound, range.upperBound]) }
        for range in flags { edges.formUnion([range.lowerBound, range.upperBound]) }
        let sorted = edges.sorted()
        var pieces: [Piece] = []
        for (start, end) in zip(sorted, sorted.dropFirst()) where start < end {
            let mark = marks.first { $0.0.lowerBound <= start && end <= $0.0.upperBound }
            let flagged = flags.contains { $0.lowerBound <= start && end <= $0.upperBound }
            let piece = Piece(
                text: String(text[start..<end]), flagged: flagged,
                opens: mark.flatMap { $0.0.lowerBound == start ? $0.1 : nil },
                closes: mark.flatMap { $0.0.upperBound == end ? $0.1 : nil })
            pieces.append(piece)
        }
        return pieces
    }

    /// Every place `needle` stands in `text`, left to right, not overlapping.
    private static func occurrences(of needle: String, in text: String) -> [Range<String.Index>] {
        var found: [Range<String.Index>] = []
        var from = text.startIndex
        while from < text.endIndex, let range = text.range(of: needle, range: from..<text.endIndex) {
            found.append(range)
            from = range.upperBound
        }
        return found
    }
}
