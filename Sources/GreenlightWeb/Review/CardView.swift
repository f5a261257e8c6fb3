import Foundation
import GreenlightCore
import GreenlightEmails
import GreenlightWork
/// One email card as the queue and the email page show it (a plain struct: Mustache sees stored properties only).
///
/// The queue renders fifty of these per page, so a card carries only what the reviewer scans: the
/// email text once, the variables with their sources, the deductions, and the approve and reject
/// forms. The edit box and each variable's reasoning live on the email's own page (`full`); with
/// JavaScript the queue builds the edit box in place from the card's text.
struct CardView {
    struct VariableView {
        var name: String
        var value: String
        /// "level 2: context pack · confidence 3/5", with "(low)" when the confidence is 2 or less.
        var source: String
        /// `high`, `medium` or `low` (the class that colours it, and the word).
        var confidence: String
        var fallback: Bool
        /// Only on the email's own page.
        var reasoning: String?
    }

    struct DeductionView {
        var points: Int
        var detail: String
    }

    struct DiffView {
        var text: String
        var same: Bool
        var added: Bool
        var removed: Bool
    }

    /// A variable's words the grounding check found unsupported.
    struct GroundingView {
        var variable: String
        var words: String
        var reason: String
    }

    var id: Int
    var score: Int
    var band: String
    var contactName: String
    var companyName: String
    var clientName: String
    /// The subject as it will go: the reviewer's when they changed it.
    var subject: String
    var body: String
    var preview: String
    /// How the draft was made ("drafted without a model …"); nil when the drafting left no note.
    var note: String?
    var variables: [VariableView]
    var deductions: [DeductionView]
    var hasDeductions: Bool
    var whySummary: String
    var statusLabel: String
    var isPending: Bool
    /// Awaiting review and not claimed by someone else: the actions are shown.
    var canAct: Bool
    var claimedByOther: Bool
    var claimedBy: String
    var reviewerName: String?
    var rejectionLabel: String?
    var rejectionDetails: String?
    /// Where the export sent it, or why it could not (while it stays approved).
    var exportLine: String?
    var exportError: String?
    var edited: Bool
    var diff: [DiffView]
    /// The draft's subject against the reviewer's, when they changed it (empty otherwise).
    var subjectDiff: [DiffView]
    var subjectEdited: Bool
    /// When the page was shown (milliseconds), echoed by the forms to time the decision.
    var shownAt: String
    var returnTo: String
    var openURL: String
    var editURL: String
    var csrf: String
    /// The email's own page: the card open, the edit form, and the variables' reasoning.
    var full: Bool
    /// The email's page opened from "Edit": its edit form starts open.
    var editing = false
    /// A sampled draft awaiting review: score, deductions and the gate's verdict are hidden.
    var blind: Bool
    /// The gate's verdict, when it is not hidden.
    var verdict: String?
    var grounding: [GroundingView]
    var hasGrounding: Bool
    /// The text in pieces: the agent's variables marked, the unsupported words flagged.
    var pieces: [CardText.Piece]
    /// The viewer decided it and may still take it back (it is not sent).
    var canUndo: Bool

    init(_ email: EmailSummary, viewerID: Int?, csrf: String, returnTo: String, full: Bool = false, now: Int) {
        id = email.id
        score = email.isBlind ? 0 : email.qualityScore
        band = email.isBlind ? "blind" : Self.band(email.qualityScore)
        contactName = email.contactName.isEmpty ? email.contactEmail : email.contactName
        companyName = email.companyName
        clientName = email.clientName
        subject = email.finalSubject ?? email.subject
        body = email.finalBody ?? email.body
        preview = Self.preview(body)
        note = email.generationNote.isEmpty ? nil : email.generationNote
        variables = email.variables.map {
            VariableView(
                name: $0.name, value: $0.value,
                source:
                    "level \($0.fallbackLevel.rawValue): \(Self.origin(of: $0)) · confidence \($0.confidence)/5\($0.confidence <= 2 ? " (low)" : "")",
                confidence: CardText.confidenceWord($0.confidence), fallback: $0.fallbackLevel >= .contextPack,
                reasoning: full && !$0.reasoning.isEmpty ? $0.reasoning : nil)
        }
        deductions = email.score.deductions.map { DeductionView(points: $0.points, detail: $0.detail) }
        hasDeductions = !deductions.isEmpty
        let lost = deductions.reduce(0) { $0 + $1.points }
        blind = email.isBlind
        verdict = blind ? nil : email.gate?.sentence
        if blind {
            deductions = []
            hasDeductions = false
        }
        whySummary =
            blind
            ? "Variables (blind review: the score is hidden until you decide)"
            : deductions.isEmpty
                ? "Variables and score" : "Variables and score (−\(lost) in \(deductions.count) deduction\(deductions.count == 1 ? "" : "s"))"
        statusLabel = email.status.label
        isPending = email.status.isAwaitingReview
        claimedByOther = email.claimedByID != nil && email.claimedByID != viewerID
        canAct = isPending && !claimedByOther
        claimedBy = email.claimedByName ?? ""
        reviewerName = email.reviewerName
        rejectionLabel = email.rejectionReason?.label
        rejectionDetails = email.rejectionDetails
        exportLine = email.export.sentLine
        exportError = email.status == .sent ? nil : email.export.error
        edited = email.finalBody != nil
        diff = email.finalBody.map { Self.diffView(from: email.body, to: $0) } ?? []
        subjectDiff = email.finalSubject.map { Self.diffView(from: email.subject, to: $0) } ?? []
        subjectEdited = !subjectDiff.isEmpty
        shownAt = String(now)
        self.returnTo = returnTo
        openURL = "/review/\(email.id)?return_to=" + QueueURL.encode(returnTo)
        editURL = openURL + "&edit=1#edit"
        self.csrf = csrf
        self.full = full
        grounding = email.grounding.map {
            GroundingView(variable: $0.variable, words: $0.words.map { "“\($0)”" }.joined(separator: ", "), reason: $0.reason)
        }
        hasGrounding = !grounding.isEmpty
        let marked = email.variables.filter { TemplateVariableCatalog.agentVariables.contains($0.name) }.map {
            (name: $0.name, value: $0.value, confidence: $0.confidence)
        }
        pieces = CardText.pieces(of: body, variables: marked, flagged: email.grounding.flatMap(\.words))
        canUndo = !isPending && email.status != .sent && viewerID != nil && email.reviewerID == viewerID
    }

    /// Where a variable's value came from: the contact's own row for the CSV's fields (level 1, but
    /// not "found on the company's site"), else its fallback level's words.
    static func origin(of variable: DraftVariable) -> String {
        TemplateVariableCatalog.agentVariables.contains(variable.name) ? variable.fallbackLevel.label : "the contact's own row"
    }

    static func band(_ score: Int) -> String {
        switch score {
        case 80...: "good"
        case 50..<80: "fair"
        default: "poor"
        }
    }

    /// The first 220 characters of the text with its whitespace runs folded to one space.
    /// Works on Unicode scalars and stops early: the queue computes fifty of these per page.
    static func preview(_ text: String, length: Int = 220) -> String {
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        var count = 0
        var truncated = false
        for scalar in text.unicodeScalars {
            let isSpace = scalar.isASCII ? (scalar == " " || (0x09...0x0D).contains(scalar.value)) : scalar.properties.isWhitespace
            if isSpace {
                pendingSpace = count > 0
                continue
            }
            if count > length + 8 {
                truncated = true
                break
            }
            if pendingSpace {
                scalars.append(" ")
                count += 1
                pendingSpace = false
            }
            scalars.append(scalar)
            count += 1
        }
        let folded = String(scalars)
        return truncated || folded.count > length ? String(folded.prefix(length)) + "…" : folded
    }

    /// The changed passages with a few words around each (``WordDiff/compact(_:context:)``).
    static func diffView(from old: String, to new: String) -> [DiffView] {
        WordDiff.compact(WordDiff.diff(old, new)).map {
            DiffView(text: $0.text, same: $0.kind == .same, added: $0.kind == .added, removed: $0.kind == .removed)
        }
    }
}
