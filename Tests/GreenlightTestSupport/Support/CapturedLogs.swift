import Foundation
import Logging

/// Collects every log line (all levels, with metadata) so a test can grep them.
package final class CapturedLogs: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    package init() {}

    package var text: String {
        lock.withLock { lines.joined(separator: "\n") }
    }

    func append(_ line: String) {
        lock.withLock { lines.append(line) }
    }

    package func logger() -> Logger {
        var logger = Logger(label: "captured") { _ in Handler(store: self) }
        logger.logLevel = .trace
        return logger
    }

    package struct Handler: LogHandler {
        let store: CapturedLogs
        package var metadata: Logger.Metadata = [:]
        package var logLevel: Logger.Level = .trace

        package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        package func log(
            level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt
        ) {
            let all = self.metadata.merging(metadata ?? [:]) { $1 }
            store.append("\(level) \(message) \(all)")
        }
    }
}
