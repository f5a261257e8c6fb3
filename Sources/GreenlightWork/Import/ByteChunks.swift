import Foundation

/// Hands out an ``ImportSource``'s bytes a chunk at a time, in order.
///
/// Owned by one reader: not thread-safe. A file is opened on creation and closed when this is released.
final class ByteChunks {
    /// The size of the chunks read from a file or sliced from memory.
    static let defaultChunkSize = 64 * 1024

    private enum Backing {
        case file(FileHandle, path: String)
        case memory([UInt8])
    }

    private let backing: Backing
    private let chunkSize: Int
    private var offset = 0

    init(_ source: ImportSource, chunkSize: Int = defaultChunkSize) throws(ImportError) {
        self.chunkSize = chunkSize
        switch source {
        case .file(let path):
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                let handle = FileHandle(forReadingAtPath: path)
            else {
                throw ImportError("cannot open \(path) for reading")
            }
            backing = .file(handle, path: path)
        case .bytes(let bytes):
            backing = .memory(bytes)
        }
    }

    deinit {
        if case .file(let handle, _) = backing {
            try? handle.close()
        }
    }

    /// The next chunk (never empty), or `nil` at the end.
    func next() throws(ImportError) -> [UInt8]? {
        switch backing {
        case .file(let handle, let path):
            let data: Data?
            do {
                data = try handle.read(upToCount: chunkSize)
            } catch {
                throw ImportError("reading \(path) failed: \(error.localizedDescription)")
            }
            guard let data, !data.isEmpty else { return nil }
            return [UInt8](data)
        case .memory(let bytes):
            guard offset < bytes.count else { return nil }
            let end = min(offset + chunkSize, bytes.count)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }
    }
}
