import Foundation
/// One filled template variable, with how sure the drafter is and where the value came from.
public struct DraftVariable: Sendable, Equatable, Codable {
    /// Where a value came from, best first.
    public enum FallbackLevel: Int, Sendable, Codable, Comparable {
        case companySite = 1
        case industryInference = 2
        case contextPack = 3
        case genericDefault = 4

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

        public var label: String {
            switch self {
            case .companySite: "found on the company's site"
            case .industryInference: "inferred from the industry"
            case .contextPack: "from the context pack"
            case .genericDefault: "generic default"
            }
        }
    }

    public var name: String
    public var value: String
    /// 1 (a guess) to 5 (certain).
    public var confidence: Int
    public var fallbackLevel: FallbackLevel
    public var reasoning: String

    public init(name: String, value: String, confidence: Int, fallbackLevel: FallbackLevel, reasoning: String) {
        self.name = name
        self.value = value
        self.confidence = min(5, max(1, confidence))
        self.fallbackLevel = fallbackLevel
        self.reasoning = reasoning
    }

    enum CodingKeys: String, CodingKey {
        case name, value, confidence, reasoning
        case fallbackLevel = "fallback_level"
    }
}
