import Foundation
import GreenlightCore
import GreenlightEmails

/// What a reviewer decided about one email.
public enum ReviewDecision: Sendable, Equatable {
    case approve
    /// Approve with the reviewer's text in place of the draft, and their subject when they give one.
    case edit(body: String, subject: String? = nil)
    case reject(reason: RejectionReason, details: String?)

    /// Longest body or details Greenlight accepts from a reviewer.
    static let maxBodyLength = 20_000
    static let maxDetailsLength = 2_000
    static let maxSubjectLength = 300

    /// `approve`, `edit` or `reject` (the metrics' label).
    var action: String {
        switch self {
        case .approve: "approve"
        case .edit: "edit"
        case .reject: "reject"
        }
    }

    /// Checks what the reviewer typed; throws an ``InputError`` naming the field.
    func validated() throws(InputError) -> ReviewDecision {
        switch self {
        case .approve:
            return self
        case .edit(let body, let subject):
            let trimmed = body.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { throw InputError(field: "body", "the edited email is empty") }
            if trimmed.count > Self.maxBodyLength {
                throw InputError(field: "body", "the edited email is longer than \(Self.maxBodyLength) characters")
            }
            let line = subject?.trimmingCharacters(in: .whitespacesAndNewlines)
            if let line {
                if line.isEmpty { throw InputError(field: "subject", "the subject is empty") }
                if line.count > Self.maxSubjectLength {
                    throw InputError(field: "subject", "the subject is longer than \(Self.maxSubjectLength) characters")
                }
                if line.contains(where: \.isNewline) { throw InputError(field: "subject", "the subject is one line: it holds a line break") }
            }
            return .edit(body: trimmed, subject: line)
        case .reject(let reason, let details):
            let trimmed = details?.trimmingCharacters(in: .whitespacesAndNewlines)
            if let trimmed, trimmed.count > Self.maxDetailsLength {
                throw InputError(field: "details", "the rejection details are longer than \(Self.maxDetailsLength) characters")
            }
            return .reject(reason: reason, details: trimmed?.isEmpty == false ? trimmed : nil)
        }
    }
}

/// The email after a decision: its new status and, for edits, whether the text really changed.
public struct ReviewOutcome: Sendable, Equatable {
    public var emailID: Int
    public var clientID: Int
    public var status: ReviewStatus
    public var reviewMilliseconds: Int?
    /// The client's rollout phase as the decision was made (read with it, so the demotion guard
    /// needs no query of its own for a client in shadow); nil when not read.
    public var clientPhase: String? = nil
}
