import Foundation
import GreenlightCore
import GreenlightWork
import GreenlightEmails

/// The template form: the whole template file (front matter and body) in one textarea, or uploaded;
/// the problem beside it; and a preview drafted for a contact of the client, with its score.
struct TemplateForm {
    /// A contact of the preview menu.
    struct ContactOption {
        var id: Int
        var label: String
        var selected: Bool
    }

    /// A draft made from the typed template, not stored.
    struct PreviewView {
        struct Deduction {
            var points: Int
            var detail: String
        }

        var contact: String
        var sample: Bool
        var subject: String
        var body: String
        var score: Int
        var band: String
        var words: Int
        var deductions: [Deduction]
        var hasDeductions: Bool
    }

    var page: PageChrome
    var csrf: String
    var clientID: Int
    var clientName: String
    var action: String
    var isNew: Bool
    var text: String
    var textError: String?
    var contacts: [ContactOption]
    var hasContacts: Bool
    var preview: PreviewView?
    var variables: String

    /// What a new template starts from.
    static let starter = """
        ---
        name: Intro, first touch
        strategy: cold_email
        subject: "A question about {{company_name}}"
        min_words: 80
        max_words: 160
        follow_ups:
          - day: 3
            body: |
              Hi {{first_name}}, a short nudge on my note from earlier this week.
        ---

        Hi {{first_name}},

        I work with teams like yours on {{solve_specific_pain}}.

        Best,
        """

    static func preview(_ result: TemplatePreview.Result) -> PreviewView {
        let contact = result.contact
        let name = [contact.firstName, contact.lastName].filter { !$0.isEmpty }.joined(separator: " ")
        return PreviewView(
            contact: "\(name.isEmpty ? contact.email : name), \(contact.companyName)", sample: result.sample, subject: result.subject,
            body: result.body, score: result.score.score, band: CardView.band(result.score.score), words: result.score.wordCount,
            deductions: result.score.deductions.map { .init(points: $0.points, detail: $0.detail) }, hasDeductions: !result.score.deductions.isEmpty)
    }
}
