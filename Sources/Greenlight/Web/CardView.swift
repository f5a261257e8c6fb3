import Foundation
/// One email card as the queue and the email page show it (a plain struct: Mustache sees stored properties only).
struct CardView {
    struct VariableView {
        var name: String
        var value: String
        var confidence: Int
        var level: Int
        var levelLabel: String
        var reasoning: String
        var lowConfidence: Bool
        var fallback: Bool
    }

    struct DeductionView {
        var points: Int
        var detail: String
    }

    struct ReasonView {
        var value: String
        var label: String
        var key: Int
        var inputID: String
    }

    struct DiffView {
        var text: String
        var same: Bool
        var added: Bool
        var removed: Bool
    }

    var id: Int
    var score: Int
    var band: String
    var bandLabel: String
    var contactName: String
    var companyName: String
    var contactEmail: String
    var clientName: String
    var subject: String
    var body: String
    var editableBody: String
    var preview: String
    var note: String
    var variables: [VariableView]
    var deductions: [DeductionView]
    var hasDeductions: Bool
    var statusLabel: String
    var isPending: Bool
    var claimedByOther: Bool
    var claimedBy: String
    var reviewerName: String?
    var rejectionLabel: String?
    var rejectionDetails: String?
    var edited: Bool
    var diff: [DiffView]
    var reasons: [ReasonView]
    var shownAt: Int
    var returnTo: String
    var openURL: String
    var csrf: String

    init(_ email: EmailSummary, viewerID: Int?, csrf: String, returnTo: String, now: Int = Clock.nowMillis()) {
        id = email.id
        score = email.qualityScore
        (band, bandLabel) = Self.band(email.qualityScore)
        contactName = email.contactName.isEmpty ? email.contactEmail : email.contactName
        companyName = email.companyName
        contactEmail = email.contactEmail
        clientName = email.clientName
        subject = email.subject
        body = email.finalBody ?? email.body
        editableBody = email.finalBody ?? email.body
        let flat = body.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        preview = flat.count > 220 ? String(flat.prefix(220)) + "…" : flat
        note = email.generationNote
        variables = email.variables.map {
            VariableView(name: $0.name, value: $0.value, confidence: $0.confidence, level: $0.fallbackLevel.rawValue, levelLabel: $0.fallbackLevel.label,
                         reasoning: $0.reasoning, lowConfidence: $0.confidence <= 2, fallback: $0.fallbackLevel >= .contextPack)
        }
        deductions = email.score.deductions.map { DeductionView(points: $0.points, detail: $0.detail) }
        hasDeductions = !deductions.isEmpty
        statusLabel = email.status.label
        isPending = email.status.isAwaitingReview
        claimedByOther = email.claimedByID != nil && email.claimedByID != viewerID
        claimedBy = email.claimedByName ?? ""
        reviewerName = email.reviewerName
        rejectionLabel = email.rejectionReason?.label
        rejectionDetails = email.rejectionDetails
        edited = email.finalBody != nil
        diff = email.finalBody.map { Self.diffView(from: email.body, to: $0) } ?? []
        reasons = RejectionReason.allCases.map { ReasonView(value: $0.rawValue, label: $0.label, key: $0.key, inputID: "reason-\(email.id)-\($0.key)") }
        shownAt = now
        self.returnTo = returnTo
        openURL = "/review/\(email.id)?return_to=" + QueueURL.encode(returnTo)
        self.csrf = csrf
    }

    static func band(_ score: Int) -> (String, String) {
        switch score {
        case 80...: ("good", "good")
        case 50..<80: ("fair", "fair")
        default: ("poor", "poor")
        }
    }

    static func diffView(from old: String, to new: String) -> [DiffView] {
        WordDiff.diff(old, new).map { DiffView(text: $0.text, same: $0.kind == .same, added: $0.kind == .added, removed: $0.kind == .removed) }
    }
}
