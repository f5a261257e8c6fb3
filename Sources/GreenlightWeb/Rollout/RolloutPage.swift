import Foundation

/// The view model of one client's rollout page: phase and kill switch, readiness for the next phase,
/// machine/human agreement, calibration with the threshold simulator, the settings form and history.
struct RolloutPage {
    struct CriterionRow {
        var name: String
        var label: String
        var value: String
        var target: String
        var interval: String
        /// The interval in words: "95% sure it is at least 93.6%".
        var intervalWords: String
        var count: Int
        var status: String
        var met: Bool
        var notEnoughEvidence: Bool
    }

    struct AgreementRow {
        var source: String
        var count: Int
        var bothYes: Int
        var machineYesHumanNo: Int
        var machineNoHumanYes: Int
        var bothNo: Int
        var agreement: String
        var kappa: String
    }

    struct BandRow {
        var band: String
        var count: Int
        var approval: String
        var interval: String
        /// Emails of the band sent in the window, the share that got a reply, and its interval.
        var sent: Int
        var reply: String
        var replyInterval: String
    }

    struct SettingRow {
        var name: String
        var label: String
        var value: String
    }

    struct HistoryRow {
        var at: String
        var actor: String
        var action: String
        var change: String
        var reason: String
    }

    var page: PageChrome
    var clientID: Int
    var clientName: String
    var phase: String
    var paused: Bool
    var pausedText: String
    var pausedGlobally: Bool
    var nextPhase: String?
    var lowerPhase: String?
    var restoreTo: String?
    var ready: Bool
    /// The first sentence: ready, or not yet and why, or how much more evidence confirms it.
    var forecast: String
    var criteria: [CriterionRow]
    var hasCriteria: Bool
    var agreement: [AgreementRow]
    var bands: [BandRow]
    var threshold: Int
    var simulation: String
    var recommendation: String
    /// The recommended threshold, when there is one, and the setting it would be applied to.
    var recommendedThreshold: Int?
    var recommendedField: String
    var recommendedPhase: String
    var settings: [SettingRow]
    var history: [HistoryRow]
    var hasHistory: Bool
    var csrf: String
}

/// The page that asks a manager to confirm a promotion, saying what it will change.
struct PromotionConfirmPage {
    var page: PageChrome
    var clientID: Int
    var clientName: String
    var from: String
    var to: String
    var consequence: String
    var reason: String
    var csrf: String
}

/// The view model of the rollout overview: every visible client's phase, readiness and kill switch.
struct RolloutIndexPage {
    struct ClientRow {
        var id: Int
        var name: String
        var phase: String
        var paused: Bool
        var readiness: String
    }

    var page: PageChrome
    var clients: [ClientRow]
    var hasClients: Bool
    var pausedGlobally: Bool
    /// The caller sees every client (an admin): the switch acts on all of them, globally.
    var seesAll: Bool
    /// One of the caller's clients is paused on its own switch.
    var anyPaused: Bool
    var csrf: String
}
