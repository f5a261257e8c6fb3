import GreenlightEmails

/// How a draft's agent variables (``TemplateVariableCatalog/agentVariables``) were filled, read from
/// the fallback level each one is stored with in `variables_json`: by the model from the company's
/// site or its industry (levels 1–2), from the client's context pack or a generic default (levels
/// 3–4), a mix of both, or no agent variable at all (the template uses only the contact's own
/// fields). The contact's own CSV fields are stored at level 1 too, so only agent variables count.
public enum FillSource: String, Sendable, CaseIterable, Codable {
    case model
    case contextPack = "context_pack"
    case mixed
    case none

    /// The source of a draft with these variables.
    public static func of(_ variables: [DraftVariable]) -> FillSource {
        let levels = variables.filter { TemplateVariableCatalog.agentVariables.contains($0.name) }.map(\.fallbackLevel)
        let byModel = levels.contains { $0 <= .industryInference }
        let byPack = levels.contains { $0 >= .contextPack }
        switch (byModel, byPack) {
        case (true, true): return .mixed
        case (true, false): return .model
        case (false, true): return .contextPack
        case (false, false): return .none
        }
    }

    /// How a page says it.
    public var label: String {
        switch self {
        case .model: "by the model (levels 1–2)"
        case .contextPack: "from the context pack (levels 3–4)"
        case .mixed: "mixed (model and context pack)"
        case .none: "no agent variable"
        }
    }
}
