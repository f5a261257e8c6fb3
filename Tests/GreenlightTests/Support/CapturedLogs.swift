import Foundation
import Logging

/// Collects every log line (all levels, with metadata) so a test can grep them.
final class CapturedLogs: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var text: String {
        lock.withLock { lines.joined(separator: "\n") }
    }

    func append(_ line: String) {
        lock.withLock { lines.append(line) }
    }

    func logger() -> Logger {
        var logger = Logger(label: "captured") { _ in Handler(store: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let store: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt)
        {
            let all = self.metadata.merging(metadata ?? [:]) { $1 }
            store.append("\(level) \(message) \(all)")
        }
    }
}
