import Foundation
import GreenlightEmails
/// Produces the agent variables a template needs for one contact.
///
/// The context-pack filler is the one that works with no model; the model-backed agents
/// (``ModelFiller``) implement the same protocol.
public protocol VariableFiller: Sendable {
    /// A name for the drafts' "model" field.
    var modelName: String { get }
    /// A line shown on every email this filler drafted (a draft may add to it).
    var note: String { get }
    /// The prompts' version, stored on every email.
    var promptVersion: String { get }
    func fill(_ names: [String], for contact: ContactProfile, client: DraftClient) async throws -> FilledVariables
    /// How many contacts a worker drafts at once to keep this filler busy.
    var parallelism: Int { get }
}

extension VariableFiller {
    public var parallelism: Int { 8 }
}

/// What a filler knows of the client and template a batch is drafted for: read once per batch.
public struct DraftClient: Sendable {
    public var id: Int
    public var name: String
    public var pack: ContextPack
    /// What the client's reviewers corrected and rejected lately.
    public var lessons: ClientLessons
    /// The batch's template (answers are cached per company and template).
    public var templateID: Int?
    /// The batch drafted (its model calls are counted to it).
    public var batchID: Int?
    /// How the pack writes its acronyms and brands (the standard ones included).
    public var casing: AcronymCasing
    /// The client's prompt version, and its experiment if one runs.
    public var prompt: PromptSetup

    public init(
        id: Int, name: String, pack: ContextPack, lessons: ClientLessons = .none, templateID: Int? = nil, batchID: Int? = nil,
        prompt: PromptSetup = PromptSetup()
    ) {
        self.prompt = prompt
        self.id = id
        self.name = name
        self.pack = pack
        self.lessons = lessons
        self.templateID = templateID
        self.batchID = batchID
        self.casing = AcronymCasing(text: pack.allText)
    }
}

/// One contact's agent variables, with what the draft should say about how they were made and the
/// model tokens they cost.
public struct FilledVariables: Sendable {
    public var variables: [DraftVariable]
    /// Added to the filler's note on this email (why agents fell back, why the site was not read).
    public var note: String?
    public var tokens: Int
    /// Company-level answers taken from the cache, and looked up.
    public var cacheHits: Int
    public var cacheLookups: Int
    /// The text read from the prospect's website, which the grounding check takes as evidence.
    public var websiteText: String?
    /// The prompt version the agents were told (nil: no prompt was, as with the context pack alone).
    public var prompt: PromptChoice?

    public init(
        variables: [DraftVariable], note: String? = nil, tokens: Int = 0, cacheHits: Int = 0, cacheLookups: Int = 0, websiteText: String? = nil,
        prompt: PromptChoice? = nil
    ) {
        self.prompt = prompt
        self.variables = variables
        self.note = note
        self.tokens = tokens
        self.cacheHits = cacheHits
        self.cacheLookups = cacheLookups
        self.websiteText = websiteText
    }
}
