import Foundation

/// The view model of a client's prompts page: the version its agents are told, the experiment
/// running (with the form that ends it) or the form that starts one, and the experiments before.
struct PromptsPage {
    var page: PageChrome
    var clientID: Int
    var clientName: String
    var currentName: String
    var currentInstructions: String
    var hasInstructions: Bool
    var running: ExperimentTable?
    var past: [ExperimentTable]
    var hasPast: Bool
    /// What the start form holds again after a refusal, and the message beside the field.
    var typedName: String
    var typedInstructions: String
    var typedShare: String
    var error: String?
    var errorField: String
    var csrf: String
}
