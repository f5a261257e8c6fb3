import Foundation
import GreenlightCore
import GreenlightWork

/// One prompt experiment as pages show it (the client's prompts page and the dashboard): the two
/// versions, each rate with its interval, and the difference in words — "not enough evidence yet"
/// until its 95% interval is clear of zero.
struct ExperimentTable {
    struct Row {
        var name: String
        var label: String
        var control: String
        var variant: String
        var difference: String
        var verdict: String
        var decided: Bool
    }

    var clientID: Int
    var clientName: String
    var controlName: String
    var variantName: String
    var share: String
    var since: String
    var running: Bool
    /// "Ended on … by …: … kept as the only version."
    var ended: String
    var controlDrafts: Int
    var variantDrafts: Int
    var rows: [Row]

    init(_ comparison: ExperimentComparison, clientName: String) {
        let experiment = comparison.experiment
        clientID = experiment.clientID
        self.clientName = clientName
        controlName = experiment.control.name
        variantName = experiment.variant.name
        share = RolloutFigures.percent(Double(experiment.variantShareBP) / 10_000)
        since = DateText.format(experiment.startedAt)
        running = experiment.endedAt == nil
        ended =
            experiment.endedAt.map { at in
                "Ended on \(DateText.format(at)) by \(experiment.endedBy ?? "someone"): "
                    + "\(experiment.winner.map { experiment.version($0).name } ?? "neither") kept as the only version."
            } ?? ""
        controlDrafts = comparison.control.drafts
        variantDrafts = comparison.variant.drafts
        rows = comparison.rows.map { row in
            func rate(_ interval: WilsonInterval) -> String {
                guard interval.rate != nil else { return "—" }
                return
                    "\(RolloutFigures.percent(interval.rate)) (\(RolloutFigures.percent(interval.low)) – \(RolloutFigures.percent(interval.high)), n = \(interval.trials))"
            }
            func points(_ value: Double) -> String { (value < 0 ? "−" : "+") + String(format: "%.1f pt", abs(value) * 100) }
            let difference =
                row.difference.difference.map { "\(points($0)) (\(points(row.difference.low)) to \(points(row.difference.high)))" } ?? "—"
            let verdict: String =
                switch row.verdict {
                case .variantHigher: "higher with \(experiment.variant.name)"
                case .controlHigher: "higher with \(experiment.control.name)"
                case .notEnoughEvidence: "not enough evidence yet"
                }
            return Row(
                name: row.name, label: row.label, control: rate(row.control), variant: rate(row.variant), difference: difference, verdict: verdict,
                decided: row.verdict != .notEnoughEvidence)
        }
    }
}
