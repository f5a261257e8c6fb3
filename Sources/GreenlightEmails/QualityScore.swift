import Foundation
/// A draft's quality score: 100 minus every deduction, clamped to 0–100, with the
/// formula's version stored beside it so old scores stay explainable.
public struct QualityScore: Sendable, Equatable, Codable {
    /// One reason the score lost points.
    public struct Deduction: Sendable, Equatable, Codable {
        /// A stable code for filters and analytics.
        public var code: String
        public var points: Int
        public var detail: String

        public init(code: String, points: Int, detail: String) {
            self.code = code
            self.points = points
            self.detail = detail
        }
    }

    /// The formula's version: `qs-2` adds −30 for a `{{…}}` that is no variable left in the text;
    /// `qs-3` −20 for a sentence cut short, −10 for an acronym in lower case and −10 for a sentence
    /// or list item starting in lower case.
    public static let version = "qs-3"

    public var score: Int
    public var version: String
    public var wordCount: Int
    public var deductions: [Deduction]

    public init(score: Int, version: String, wordCount: Int, deductions: [Deduction]) {
        self.score = score
        self.version = version
        self.wordCount = wordCount
        self.deductions = deductions
    }

    enum CodingKeys: String, CodingKey {
        case score, version, deductions
        case wordCount = "word_count"
    }
}
