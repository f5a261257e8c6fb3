import Foundation

/// What tells for sure whether a process is still alive: the kernel's boot id, the PID namespace the
/// pid belongs to, the pid, and the process's start time (clock ticks since boot, from `/proc`).
///
/// A lease's holder is taken for dead before its lease runs out only when all of these say so: the
/// same boot and the same PID namespace as ours (a container sharing the hostname has its own
/// namespace, where the pid means another process), and no process with that pid, or one that
/// started at another time (the pid was reused). Anything less certain waits for the lease to expire.
package struct ProcessIdentity: Sendable, Equatable {
    var bootID: String
    var pidNamespace: String
    var pid: Int32
    var startTicks: UInt64

    /// This process, read once; nil where `/proc` does not say (not Linux).
    package static let current: ProcessIdentity? = {
        let pid = ProcessInfo.processInfo.processIdentifier
        guard let boot = read("/proc/sys/kernel/random/boot_id"), let namespace = link("/proc/self/ns/pid"), let start = startTicks(pid: pid) else {
            return nil
        }
        return ProcessIdentity(bootID: boot, pidNamespace: namespace, pid: pid, startTicks: start)
    }()

    /// How it is stored beside a lease: `boot namespace pid start`.
    package var recorded: String { "\(bootID) \(pidNamespace) \(pid) \(startTicks)" }

    init(bootID: String, pidNamespace: String, pid: Int32, startTicks: UInt64) {
        self.bootID = bootID
        self.pidNamespace = pidNamespace
        self.pid = pid
        self.startTicks = startTicks
    }

    /// Reads what ``recorded`` wrote; nil for anything else.
    init?(recorded: String) {
        let parts = recorded.split(separator: " ").map(String.init)
        guard parts.count == 4, let pid = Int32(parts[2]), let start = UInt64(parts[3]) else { return nil }
        self.init(bootID: parts[0], pidNamespace: parts[1], pid: pid, startTicks: start)
    }

    /// Whether the process recorded this way is gone for sure, as seen from `current`.
    package static func isGone(_ recorded: String, from current: ProcessIdentity? = current) -> Bool {
        guard let current, let holder = ProcessIdentity(recorded: recorded),
            holder.bootID == current.bootID, holder.pidNamespace == current.pidNamespace, holder.pid > 0
        else { return false }
        if holder.pid == current.pid { return holder.startTicks != current.startTicks }
        guard let start = startTicks(pid: holder.pid) else { return true }
        return start != holder.startTicks
    }

    /// Field 22 of `/proc/PID/stat`: when the process started, in clock ticks since boot.
    static func startTicks(pid: Int32) -> UInt64? {
        guard let stat = read("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        // After the command's closing parenthesis come the fields from the 3rd (state) on.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    private static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    private static func link(_ path: String) -> String? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).flatMap { $0.isEmpty ? nil : $0.replacingOccurrences(of: " ", with: "_") }
    }
}
