import Foundation
import GreenlightCore
import GreenlightEmails

/// The review queue's filters, read from a URL query so a filtered view can be bookmarked.
public struct QueueFilter: Sendable, Equatable {
    public var clientID: Int?
    public var templateID: Int?
    public var batchID: Int?
    /// Inclusive first day, `YYYY-MM-DD` (UTC).
    public var from: String?
    /// Inclusive last day, `YYYY-MM-DD` (UTC).
    public var to: String?
    public var minScore: Int?
    public var maxScore: Int?
    public var status: StatusChoice
    public var search: String?
    /// Only the emails this user decided (the dashboard's alerts link to a reviewer's decisions).
    public var reviewerID: Int?

    /// Which statuses the queue lists.
    public enum StatusChoice: Sendable, Equatable {
        case awaitingReview
        case reviewed
        case all
        case only(ReviewStatus)

        public init?(parameter: String) {
            switch parameter {
            case "", "pending": self = .awaitingReview
            case "reviewed": self = .reviewed
            case "all": self = .all
            default:
                guard let status = ReviewStatus(rawValue: parameter) else { return nil }
                self = .only(status)
            }
        }

        public var parameter: String {
            switch self {
            case .awaitingReview: "pending"
            case .reviewed: "reviewed"
            case .all: "all"
            case .only(let status): status.rawValue
            }
        }

        var statuses: [ReviewStatus] {
            switch self {
            case .awaitingReview: ReviewStatus.awaitingReview
            case .reviewed: [.approved, .approvedEdited, .approvedAuto, .rejected, .sent]
            case .all: ReviewStatus.allCases
            case .only(let status): [status]
            }
        }
    }

    public init(
        clientID: Int? = nil, templateID: Int? = nil, batchID: Int? = nil, from: String? = nil, to: String? = nil,
        minScore: Int? = nil, maxScore: Int? = nil, status: StatusChoice = .awaitingReview, search: String? = nil, reviewerID: Int? = nil
    ) {
        self.clientID = clientID
        self.templateID = templateID
        self.batchID = batchID
        self.from = from
        self.to = to
        self.minScore = minScore
        self.maxScore = maxScore
        self.status = status
        self.search = search
        self.reviewerID = reviewerID
    }

    /// Reads the filters from query parameters; a value that cannot be used is an error naming it.
    public init(parameters: [String: String]) throws(InputError) {
        func value(_ name: String) -> String? {
            guard let text = parameters[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        func id(_ name: String) throws(InputError) -> Int? {
            guard let text = value(name) else { return nil }
            guard let id = Int(text), id > 0 else { throw InputError(field: name, "\(name) must be a positive whole number, got \"\(text)\"") }
            return id
        }
        func score(_ name: String) throws(InputError) -> Int? {
            guard let text = value(name) else { return nil }
            guard let score = Int(text), (0...100).contains(score) else {
                throw InputError(field: name, "\(name) must be a score from 0 to 100, got \"\(text)\"")
            }
            return score
        }
        func day(_ name: String) throws(InputError) -> String? {
            guard let text = value(name) else { return nil }
            guard LocalDay.utcMidnight(of: text) != nil else {
                throw InputError(field: name, "\(name) must be a date written YYYY-MM-DD, got \"\(text)\"")
            }
            return text
        }
        let statusText = value("status") ?? ""
        guard let status = StatusChoice(parameter: statusText) else {
            throw InputError(
                field: "status",
                "status \"\(statusText)\" is not one of pending, reviewed, all, \(ReviewStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.init(
            clientID: try id("client"), templateID: try id("template"), batchID: try id("batch"),
            from: try day("from"), to: try day("to"), minScore: try score("min_score"), maxScore: try score("max_score"),
            status: status, search: value("q").map { String($0.prefix(200)) }, reviewerID: try id("reviewer")
        )
        if let minScore, let maxScore, minScore > maxScore {
            throw InputError(field: "min_score", "min_score (\(minScore)) is above max_score (\(maxScore))")
        }
        if let from, let to, from > to {
            throw InputError(field: "from", "from (\(from)) is after to (\(to))")
        }
    }

    /// The filters as query parameters, for links that keep them (empty values left out).
    public var parameters: [(String, String)] {
        var result: [(String, String)] = []
        if let clientID { result.append(("client", String(clientID))) }
        if let templateID { result.append(("template", String(templateID))) }
        if let batchID { result.append(("batch", String(batchID))) }
        if let from { result.append(("from", from)) }
        if let to { result.append(("to", to)) }
        if let minScore { result.append(("min_score", String(minScore))) }
        if let maxScore { result.append(("max_score", String(maxScore))) }
        if status != .awaitingReview { result.append(("status", status.parameter)) }
        if let search { result.append(("q", search)) }
        if let reviewerID { result.append(("reviewer", String(reviewerID))) }
        return result
    }
}
