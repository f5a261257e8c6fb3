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
    public static func diff(_ old: String, _ new: String, limit: Int = 3_000) -> [Segment] {
        let a = old.split(whereSeparator: \.isWhitespace).map(String.init)
        let b = new.split(whereSeparator: \.isWhitespace).map(String.init)
        if a.count > limit || b.count > limit {
            return merge([Segment(kind: .removed, text: a.joined(separator: " ")), Segment(kind: .added, text: b.joined(separator: " "))].filter { !$0.text.isEmpty })
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

    private static func merge(_ segments: [Segment]) -> [Segment] {
        var merged: [Segment] = []
        for segment in segments {
            if let last = merged.last, last.kind == segment.kind {
                merged[merged.count - 1].text += " " + segment.text
            } else {
                merged.append(segment)
            }
        }
        return merged
    }
}
