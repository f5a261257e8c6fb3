import Foundation
import GreenlightWork
import GreenlightEmails

/// The JSON of `GET /api/v1/clients/{id or name}/rollout`.
struct APIRollout: Encodable {
    struct Readiness: Encodable {
        var name: String
        var label: String
        var value: Double?
        var target: Double
        var direction: String
        var low: Double?
        var high: Double?
        var n: Int
        var met: Bool
        var status: String
    }

    struct Band: Encodable {
        var band: String
        var decided: Int
        var approved: Int
        var edited: Int
        var rejected: Int
        var approval_rate: Double?
        var low: Double
        var high: Double
        var sent: Int
        var replied: Int
        var reply_rate: Double?
        var reply_low: Double
        var reply_high: Double
    }

    struct Calibration: Encodable {
        var window_days: Int
        var bands: [Band]
        var recommended_threshold: Int?
    }

    struct Table: Encodable {
        var machine_yes_human_yes: Int
        var machine_yes_human_no: Int
        var machine_no_human_yes: Int
        var machine_no_human_no: Int
        var observed_agreement: Double?
        var kappa: Double?

        init(_ table: CohenKappa) {
            machine_yes_human_yes = table.a
            machine_yes_human_no = table.b
            machine_no_human_yes = table.c
            machine_no_human_no = table.d
            observed_agreement = table.observedAgreement
            kappa = table.kappa
        }
    }

    struct Agreement: Encodable {
        var shadow: Table
        var sampled: Table
        var all: Table
    }

    struct Paused: Encodable {
        var client: Bool
        var global: Bool
    }

    var client_id: Int
    var client: String
    var phase: String
    var next_phase: String?
    var settings: [String: Double]
    var readiness: [Readiness]
    var ready: Bool
    var calibration: Calibration
    var agreement: Agreement
    var paused: Paused

    init(state: RolloutState, readiness: RolloutReadiness, calibration: CalibrationTable, agreement: RolloutEvidence.Agreement) {
        client_id = state.clientID
        client = state.clientName
        phase = state.phase.rawValue
        next_phase = readiness.next?.rawValue
        settings = Dictionary(uniqueKeysWithValues: RolloutSettingsFields.all.map { ($0.name, Double($0.text(state.settings)) ?? 0) })
        self.readiness = readiness.criteria.map {
            Readiness(
                name: $0.name, label: $0.label, value: $0.value, target: $0.target, direction: $0.direction.rawValue, low: $0.low, high: $0.high,
                n: $0.count, met: $0.status == .met, status: $0.status.rawValue)
        }
        ready = readiness.ready
        let limit = Double(state.settings.partialRejectionLimitBP) / 10_000
        self.calibration = Calibration(
            window_days: 90,
            bands: calibration.bands.map {
                Band(
                    band: $0.label, decided: $0.counts.total, approved: $0.counts.approved, edited: $0.counts.edited, rejected: $0.counts.rejected,
                    approval_rate: $0.approvalRate.rate, low: $0.approvalRate.low, high: $0.approvalRate.high, sent: $0.counts.sent,
                    replied: $0.counts.replied, reply_rate: $0.replyRate.rate, reply_low: $0.replyRate.low, reply_high: $0.replyRate.high)
            }, recommended_threshold: calibration.recommendedThreshold(rejectionLimit: limit)?.threshold)
        self.agreement = Agreement(shadow: Table(agreement.shadow), sampled: Table(agreement.sampled), all: Table(agreement.all))
        paused = Paused(client: state.pausedAt != nil, global: state.pausedGlobally)
    }
}
