import Foundation
import GreenlightCore

/// Every editable rollout setting by its public name (the API's and the form's field names), with how
/// to read, write and show it — so the form, the API, the CLI and the history all speak one vocabulary.
public struct RolloutSettingsFields: Sendable {
    /// How a field is written by people: a score, a fraction (0–1, stored in basis points) or a count.
    public enum Kind: Sendable {
        case score, fraction, count
    }

    public let name: String
    public let label: String
    public let kind: Kind
    let keyPath: any WritableKeyPath<RolloutSettings, Int> & Sendable

    func read(_ settings: RolloutSettings) -> Int { settings[keyPath: keyPath] }

    /// The value as people read it: `90`, `0.05`, `200`.
    public func text(_ settings: RolloutSettings) -> String {
        let value = read(settings)
        switch kind {
        case .score, .count: return String(value)
        case .fraction: return Self.fraction(value)
        }
    }

    /// Sets the field from text as people write it; throws an ``InputError`` naming the field.
    public func set(_ text: String, on settings: inout RolloutSettings) throws(InputError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .score, .count:
            guard let value = Int(trimmed) else { throw InputError(field: name, "\(name) must be a whole number, got \"\(text)\"") }
            settings[keyPath: keyPath] = value
        case .fraction:
            var number = trimmed
            var scale = 1.0
            if number.hasSuffix("%") { number.removeLast(); scale = 100 }
            guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value.isFinite, value >= 0, value / scale <= 1 else {
                throw InputError(field: name, "\(name) must be a fraction from 0 to 1 (or a percentage like 5%), got \"\(text)\"")
            }
            settings[keyPath: keyPath] = Int((value / scale * 10_000).rounded())
        }
    }

    package static func fraction(_ basisPoints: Int) -> String {
        var text = String(format: "%.4f", Double(basisPoints) / 10_000)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// All fields, in the order the rollout page shows them.
    public static let all: [RolloutSettingsFields] = [
        .init(name: "partial_threshold", label: "Auto-approve threshold in partial", kind: .score, keyPath: \.partialThreshold),
        .init(name: "full_threshold", label: "Auto-approve threshold in full", kind: .score, keyPath: \.fullThreshold),
        .init(name: "sample_rate", label: "Share held back for blind review", kind: .fraction, keyPath: \.sampleRateBP),
        .init(name: "min_reviewed", label: "Shadow → partial: human-reviewed drafts at least", kind: .count, keyPath: \.minReviewed),
        .init(name: "approval_target", label: "Shadow → partial: approval rate above", kind: .fraction, keyPath: \.approvalTargetBP),
        .init(name: "edit_limit", label: "Shadow → partial: edit rate below", kind: .fraction, keyPath: \.editLimitBP),
        .init(
            name: "review_seconds_limit", label: "Shadow → partial: average review time below (seconds)", kind: .count, keyPath: \.reviewSecondsLimit),
        .init(
            name: "reason_share_limit", label: "Shadow → partial: no rejection reason above this share", kind: .fraction,
            keyPath: \.reasonShareLimitBP),
        .init(name: "shadow_window_days", label: "Shadow → partial: over the last days", kind: .count, keyPath: \.shadowWindowDays),
        .init(name: "auto_rate_target", label: "Partial → full: auto-approval rate above", kind: .fraction, keyPath: \.autoRateTargetBP),
        .init(
            name: "partial_rejection_limit", label: "Partial → full: rejection among reviewed below", kind: .fraction,
            keyPath: \.partialRejectionLimitBP),
        .init(name: "partial_window_days", label: "Partial → full: over the last days", kind: .count, keyPath: \.partialWindowDays),
        .init(
            name: "reply_margin", label: "Partial → full: auto-approved positive replies at most this far below reviewed ones'", kind: .fraction,
            keyPath: \.replyMarginBP),
        .init(name: "demotion_window", label: "Demotion: the last human-reviewed drafts", kind: .count, keyPath: \.demotionWindow),
        .init(name: "demotion_limit", label: "Demotion: rejections above this share", kind: .fraction, keyPath: \.demotionLimitBP),
        .init(name: "outcome_window", label: "Outcome guard: the last auto-approved emails sent", kind: .count, keyPath: \.outcomeWindow),
        .init(name: "bounce_limit", label: "Outcome guard: bounces above this share", kind: .fraction, keyPath: \.bounceLimitBP),
        .init(name: "unsubscribe_limit", label: "Outcome guard: unsubscribes above this share", kind: .fraction, keyPath: \.unsubscribeLimitBP),
    ]

    /// The field with this public name.
    public static func named(_ name: String) -> RolloutSettingsFields? {
        all.first { $0.name == name }
    }
}
