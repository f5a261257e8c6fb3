import Foundation

/// The name a task writes beside whatever it holds in the database (an export's lease, a drafting
/// job's claim): `host:pid:token`, so whoever is refused reads which process holds it.
package enum LeaseOwner {
    /// A new name; `instance` replaces `host:pid` (tests name their instances).
    package static func make(instance: String? = nil) -> String {
        "\(instance ?? "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"):\(UUID().uuidString.prefix(8).lowercased())"
    }
}
