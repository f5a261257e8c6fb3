/// The six drafting agents: what each produces, what it needs first, which model class it uses,
/// and how its answer is checked. Every answer also says where its values came from (`source`:
/// the company's own site, or inferred from its industry), why (`reasoning`) and how sure it is.
public enum AgentKind: String, CaseIterable, Sendable {
    case persona, competitor, painPoint = "pain_point", caseStudy = "case_study", signal, system

    /// The template variables it fills.
    public var produces: [String] {
        switch self {
        case .persona: return ["target_persona", "product_category"]
        case .competitor: return ["competitor_name"]
        case .painPoint: return ["solve_specific_pain"]
        case .caseStudy: return ["case_study_insight"]
        case .signal: return ["specific_target_1", "specific_target_2"]
        case .system: return ["system_1", "system_2", "system_3"]
        }
    }

    /// The agents whose outputs it is given.
    public var dependsOn: [AgentKind] {
        switch self {
        case .persona, .competitor, .painPoint, .caseStudy: return []
        case .signal: return [.persona]
        case .system: return [.persona, .signal, .painPoint]
        }
    }

    /// Signal and system think harder: the large model.
    public var usesLargeModel: Bool { self == .signal || self == .system }

    /// The answer's fields and their rules.
    var fields: [ValidatedAnswer.Field] {
        var fields: [ValidatedAnswer.Field]
        switch self {
        case .persona: fields = [.init("target_persona", .lowerCase), .init("product_category", .lowerCase)]
        case .competitor: fields = [.init("competitor_name", .plain)]
        case .painPoint: fields = [.init("solve_specific_pain", .plain)]
        case .caseStudy: fields = [.init("case_study_insight", .plain)]
        case .signal: fields = [.init("specific_target_1", .signal), .init("specific_target_2", .signal)]
        case .system: fields = [.init("system_1", .plain), .init("system_2", .plain), .init("system_3", .plain)]
        }
        return fields + [.init("source", .oneOf(["site", "industry"])), .init("reasoning", .plain), .init("confidence", .number(1...5))]
    }

    /// Who the agent is, in its prompt.
    var role: String {
        switch self {
        case .persona:
            return "persona extractor: you name the prospect's buyer persona for the client's offer and the category of product the client sells them"
        case .competitor:
            return
                "competitor finder: you name the competitor of the client that this prospect most likely uses or knows, from the client's competitor list"
        case .painPoint: return "pain point writer: you say, in one clause, the specific pain the client solves for this prospect"
        case .caseStudy:
            return
                "case study picker: you give the one result from the client's case studies that will speak to this prospect, in one or two sentences"
        case .signal:
            return
                "signal generator: you write two buying signals describing companies like this prospect — a broad one (500–2,000 companies) and a niche one (100–500)"
        case .system: return "system builder: you name three concrete systems or workflows the prospect runs that the client's offer plugs into"
        }
    }

    /// What the agent does, step by step.
    var steps: [String] {
        switch self {
        case .persona:
            return [
                "Read the website text and the contact's job title.", "Pick the persona from the client's personas that fits best.",
                "Name the product category as the prospect would say it.",
            ]
        case .competitor:
            return [
                "Look for a competitor's name on the website text.", "Otherwise pick the competitor whose positioning fits the prospect's industry.",
            ]
        case .painPoint:
            return [
                "Read the client's pain points.", "Pick the one the website text or the industry points to.",
                "Write it as a clause that completes \"we help teams that …\".",
            ]
        case .caseStudy:
            return [
                "Read the client's case studies.", "Pick the one closest to the prospect's industry and size.",
                "Give its result with its numbers, plainly.",
            ]
        case .signal:
            return [
                "Start from the persona and what the website says.", "Describe companies, not actions: no leading verb.", "At most 12 words each.",
            ]
        case .system:
            return [
                "Start from the persona, the signals and the pain point.", "Name systems the prospect likely runs (tools, processes).",
                "Short noun phrases.",
            ]
        }
    }
}
