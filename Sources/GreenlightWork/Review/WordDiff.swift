import Foundation
/// A word-level diff between a draft and its edit, for the card and the history.
public enum WordDiff {
    /// A run of words that were kept, removed or added.
    public struct Segment: Sendable, Equatable {
        public enum Kind: String, Sendable { case same, removed, added }
        public var kind: Kind
        public var text: String
    }

    /// Longest-common-subsequence over words. Texts beyond `limit` words each are shown as a whole replacement.
    ///
    /// Line breaks are tokens of their own, so a segment's text keeps the email's lines ("\n"
    /// between them, a blank line as two) for the page to show with `white-space: pre-line`; words
    /// on a line are joined by one space.
    public static func diff(_ old: String, _ new: String, limit: Int = 3_000) -> [Segment] {
        let a = tokens(old), b = tokens(new)
        if a.count > limit || b.count > limit {
            return [Segment(kind: .removed, text: joined(a)), Segment(kind: .added, text: joined(b))].filter { !$0.text.isEmpty }
        }
        let n = a.count, m = b.count
        var lengths = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i][j] = a[i] == b[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var segments: [Segment] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                segments.append(.init(kind: .same, text: a[i])); i += 1; j += 1
            } else if i < n, j == m || lengths[i + 1][j] >= lengths[i][j + 1] {
                segments.append(.init(kind: .removed, text: a[i])); i += 1
            } else {
                segments.append(.init(kind: .added, text: b[j])); j += 1
            }
        }
        return merge(segments)
    }

    /// The diff with only the changed passages in full: a kept stretch keeps `context` words on each
    /// side of a change and "…" for what lies between (a kept stretch of the whole text, with no
    /// change, stays as it is). What a reviewer reads after an edit is what changed, not the email again.
    public static func compact(_ segments: [Segment], context: Int = 6) -> [Segment] {
        guard segments.contains(where: { $0.kind != .same }) else { return segments }
        return segments.enumerated().map { index, segment in
            guard segment.kind == .same else { return segment }
            let words = tokens(segment.text).filter { $0 != "\n" }
            let before = index > 0, after = index < segments.count - 1
            let kept = (before ? context : 0) + (after ? context : 0)
            guard words.count > kept + 2 else { return segment }
            var text = ""
            if before { text += words.prefix(context).joined(separator: " ") + " " }
            text += "…"
            if after { text += " " + words.suffix(context).joined(separator: " ") }
            return Segment(kind: .same, text: text)
        }
    }

    /// The text's words, with "\n" for each line break (`\r\n` is one break).
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if index > 0 { tokens.append("\n") }
            tokens += line.split(whereSeparator: \.isWhitespace).map(String.init)
        }
        while tokens.last == "\n" { tokens.removeLast() }
        while tokens.first == "\n" { tokens.removeFirst() }
        return tokens
    }

    /// Tokens back into text: words on a line joined by a space, line breaks as they were.
    static func joined(_ tokens: [String]) -> String {
        tokens.reduce(into: "") { text, token in append(token, to: &text) }
    }

    private static func append(_ token: String, to text: inout String) {
        if !text.isEmpty, token != "\n", !text.hasSuffix("\n") { text += " " }
        text += token
    }

    private static func merge(_ segments: [Segment]) -> [Segment] {
        var merged: [Segment] = []
        for segment in segments {
            if let last = merged.last, last.kind == segment.kind {
                append(segment.text, to: &merged[merged.count - 1].text)
            } else {
                merged.append(segment)
            }
        }
        return merged
    }
}
