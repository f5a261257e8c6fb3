import Foundation
import Hummingbird
import MultipartKit
import GreenlightCore
import GreenlightWork

/// A context-pack folder uploaded from the browser (the files `greenlight client add DIR` reads,
/// chosen one by one or as a folder), laid out again in a scratch folder and read by
/// ``ContextPackFolder`` — the same reader and checks as the command line.
enum ClientUpload {
    /// The pack the uploaded files make; problems name "the uploaded files", never the scratch folder.
    static func read(_ form: MultipartForm) throws -> ContextPackFolder.Contents {
        let files = form.parts.filter { $0.name == "files" && $0.body.readableBytes > 0 }
        guard !files.isEmpty else {
            throw ImportError("choose the pack's files: client.json, pci.md, personas.md, pain_points.md, competitors.json and the case studies")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("greenlight-pack-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("case_studies"), withIntermediateDirectories: true)
        for part in files {
            guard let name = ImportController.fileName(of: part), !name.hasPrefix(".") else { continue }
            let folder = ["client.json", "competitors.json", "pci.md", "personas.md", "pain_points.md"].contains(name) ? "" : "case_studies/"
            guard folder.isEmpty || name.hasSuffix(".md") else {
                throw ImportError("\(name) is not part of a context pack: only client.json, competitors.json and Markdown files (.md)")
            }
            try Data(part.body.readableBytesView).write(to: scratch.appendingPathComponent(folder + name))
        }
        do {
            return try ContextPackFolder(path: scratch.path).read()
        } catch {
            throw ImportError(error.message.replacingOccurrences(of: scratch.path, with: "the uploaded files"))
        }
    }
}
