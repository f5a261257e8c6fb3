/// What changed between two versions of a client's export settings, one phrase per setting, for
/// the audit log ("export hour 14 → 9").
extension ExportSettings {
    public func changes(to new: ExportSettings) -> [String] {
        func accountList(_ list: [String]) -> String { list.isEmpty ? "none" : list.joined(separator: ", ") }
        func yesNo(_ value: Bool) -> String { value ? "yes" : "no" }
        var changes: [String] = []
        func compare(_ label: String, _ old: String, _ new: String) {
            if old != new { changes.append("\(label) \(old) → \(new)") }
        }
        compare("sending accounts", accountList(accounts), accountList(new.accounts))
        compare("time zone", timezone, new.timezone)
        compare("export hour", "\(exportHour)", "\(new.exportHour)")
        compare("new leads a day", "\(dailyLimit)", "\(new.dailyLimit)")
        compare("sending days", SequencerSettingsText.dayNames(days), SequencerSettingsText.dayNames(new.days))
        compare("sending window", "\(from)–\(to)", "\(new.from)–\(new.to)")
        compare("start campaigns at once", yesNo(activate), yesNo(new.activate))
        compare("stop on reply", yesNo(stopOnReply), yesNo(new.stopOnReply))
        return changes
    }

    /// The audit log's details of saving `new` over these settings.
    public func auditDetails(to new: ExportSettings) -> String {
        let changes = changes(to: new)
        return changes.isEmpty ? "nothing changed" : changes.joined(separator: "; ")
    }
}
