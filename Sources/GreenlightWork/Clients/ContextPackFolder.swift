import Foundation
import GreenlightCore

/// Reads a client folder laid out as `client.json, pci.md, personas.md, pain_points.md,
/// competitors.json, case_studies/*.md`, and says precisely what is missing or malformed.
public struct ContextPackFolder: Sendable {
    /// What a client folder holds once read and checked.
    public struct Contents: Sendable, Equatable {
        public var profile: ClientProfile
        public var pack: ContextPack
    }

    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func read() throws(ImportError) -> Contents {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ImportError("\(path) is not a folder: give the client's context-pack folder (client.json, pci.md, personas.md, …)")
        }
        let profile: ClientProfile
        do {
            profile = try JSONDecoder().decode(ClientProfile.self, from: try data("client.json"))
        } catch let error as ImportError {
            throw error
        } catch {
            throw ImportError("client.json in \(path) is not valid: \(Self.describe(error))")
        }
        let competitors: [ContextPack.Competitor]
        do {
            competitors = try JSONDecoder().decode([ContextPack.Competitor].self, from: try data("competitors.json"))
        } catch let error as ImportError {
            throw error
        } catch {
            throw ImportError("competitors.json in \(path) must be a JSON list of {\"name\", \"positioning\"}: \(Self.describe(error))")
        }
        let pack = ContextPack(
            pci: try text("pci.md"),
            personasMarkdown: try text("personas.md"),
            painPointsMarkdown: try text("pain_points.md"),
            competitors: competitors,
            caseStudies: try caseStudies()
        )
        do {
            try ClientPackCheck.check(profile, pack)
        } catch {
            throw ImportError("\(path): \(error.message)")
        }
        return Contents(profile: profile, pack: pack)
    }

    private func caseStudies() throws(ImportError) -> [ContextPack.CaseStudy] {
        let folder = path + "/case_studies"
        guard FileManager.default.fileExists(atPath: folder) else { return [] }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".md") }.sorted()
        var studies: [ContextPack.CaseStudy] = []
        for file in files {
            let markdown = try text("case_studies/" + file)
            let body = MarkdownSections.bodyText(of: markdown)
            if body.isEmpty {
                throw ImportError("case_studies/\(file) in \(path) is empty")
            }
            studies.append(.init(fileName: file, title: MarkdownSections.firstHeading(in: markdown) ?? String(file.dropLast(3)), body: body))
        }
        return studies
    }

    private func data(_ name: String) throws(ImportError) -> Data {
        guard let data = FileManager.default.contents(atPath: path + "/" + name) else {
            throw ImportError("\(name) is missing from \(path)")
        }
        return data
    }

    private func text(_ name: String) throws(ImportError) -> String {
        guard let text = String(data: try data(name), encoding: .utf8) else {
            throw ImportError("\(name) in \(path) is not UTF-8 text")
        }
        return text
    }

    package static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "the field \"\(key.stringValue)\" is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            context.codingPath.isEmpty
                ? "not valid JSON" : "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        default: String(describing: error)
        }
    }
}
