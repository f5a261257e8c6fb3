import SQLKit

/// A status kept as text in a column (`generated_emails.status`, `contact_batches.status`,
/// `export_items.status`, `export_runs.status`): its SQL list is written here, once.
public protocol StoredStatus: RawRepresentable<String>, CaseIterable, Sendable {}

extension StoredStatus {
    /// The statuses as an SQL list, `('claimed', 'sending')`: fixed text, so the planner can match the
    /// partial indexes written with the same list. Interpolate it with `unsafeRaw:`; it holds only
    /// the enum's own raw values.
    package static func sqlList(_ statuses: [Self]) -> String {
        "(" + statuses.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
    }
}

extension SQLRow {
    /// A status column read as its enum; a value the enum does not know is an error naming it.
    package func decode<Status: StoredStatus>(status column: String = "status", as type: Status.Type) throws -> Status {
        let text = try decode(column: column, as: String.self)
        guard let status = Status(rawValue: text) else { throw StorageError("\(column) holds \"\(text)\", which is not a \(Status.self)") }
        return status
    }
}
