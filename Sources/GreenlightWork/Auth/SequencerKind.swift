import GreenlightCore

/// Where a client's approved emails go, as `clients.sequencer_kind` stores it.
public enum SequencerKind: String, Sendable, CaseIterable, Codable {
    case instantly, smartlead
    /// A CSV file the user downloads and uploads by hand.
    case csv

    /// The vendor's name ("CSV" for the file).
    public var name: String {
        switch self {
        case .instantly: "Instantly"
        case .smartlead: "Smartlead"
        case .csv: "CSV"
        }
    }

    /// Whether Greenlight sends through the vendor's API (with a key) rather than a file.
    public var hasAPI: Bool { self != .csv }

    /// Reads a name from a form, a flag or the database; the error lists the kinds there are.
    public static func parse(_ text: String, field: String = "sequencer") throws(InputError) -> SequencerKind {
        guard let kind = SequencerKind(rawValue: text) else {
            throw InputError(field: field, "sequencer \"\(text)\" is not one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }
}
