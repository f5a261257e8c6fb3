import Foundation
/// What a client tells Greenlight about itself: who it sells to, how, against whom, with what proof.
public struct ContextPack: Sendable, Equatable, Codable {
    /// One buyer persona: a job title (the `##` heading of personas.md) and its description.
    public struct Persona: Sendable, Equatable, Codable {
        public var title: String
        public var description: String
    }

    /// One pain point the client solves: a short title and the sentence that explains it.
    public struct PainPoint: Sendable, Equatable, Codable {
        public var title: String
        public var description: String
    }

    /// A competitor from competitors.json.
    public struct Competitor: Sendable, Equatable, Codable {
        public var name: String
        public var positioning: String

        public init(name: String, positioning: String) {
            self.name = name
            self.positioning = positioning
        }
    }

    /// A case study: its file name, first heading and text.
    public struct CaseStudy: Sendable, Equatable, Codable {
        public var fileName: String
        public var title: String
        public var body: String
    }

    public var pci: String
    public var personasMarkdown: String
    public var painPointsMarkdown: String
    public var competitors: [Competitor]
    public var caseStudies: [CaseStudy]

    public init(pci: String, personasMarkdown: String, painPointsMarkdown: String, competitors: [Competitor], caseStudies: [CaseStudy]) {
        self.pci = pci
        self.personasMarkdown = personasMarkdown
        self.painPointsMarkdown = painPointsMarkdown
        self.competitors = competitors
        self.caseStudies = caseStudies
    }

    /// Every text of the pack, one after another (for what reads the pack as a whole).
    public var allText: String {
        ([pci, personasMarkdown, painPointsMarkdown] + competitors.flatMap { [$0.name, $0.positioning] }
            + caseStudies.flatMap { [$0.title, $0.body] }).joined(separator: "\n")
    }

    /// The personas of personas.md, one per `##` heading.
    public var personas: [Persona] {
        MarkdownSections.secondLevel(in: personasMarkdown).map { Persona(title: $0.heading, description: $0.text) }
    }

    /// The pain points of pain_points.md: list items (`1. **Title** — text`) or, failing that, `##` sections.
    public var painPoints: [PainPoint] {
        let items = MarkdownSections.listItems(in: painPointsMarkdown)
        if !items.isEmpty {
            return items.map { item in
                let (title, rest) = MarkdownSections.splitBoldLead(item)
                return PainPoint(title: title, description: rest)
            }
        }
        return MarkdownSections.secondLevel(in: painPointsMarkdown).map { PainPoint(title: $0.heading, description: $0.text) }
    }
}
