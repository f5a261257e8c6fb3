import GreenlightEmails
/// The six agents run for one contact: only those the template's variables need (and what
/// they depend on); persona, competitor, pain point and case study at once, then signal, then
/// system, each given the outputs it depends on. An agent whose answer stays unusable after its
/// retries, or whose model is down, gets the context pack's values (fallback levels 3–4) with the
/// reason — never nothing — and the agents after it work from those.
public struct AgentTeam: Sendable {
    /// What the team produced for one contact.
    public struct Result: Sendable {
        /// The variables asked for, in the order asked.
        public var variables: [DraftVariable]
        public var calls: Int
        public var promptTokens: Int
        public var completionTokens: Int
        /// Why agents fell back, one line each ("persona: …").
        public var problems: [String]
        /// Company-level agents answered from the cache, and looked up in it.
        public var cacheHits = 0
        public var cacheLookups = 0
        /// Why the team stopped before the contact was done: the client's budget could not take a
        /// call (nil: not stopped). The variables are then not to be used.
        public var budgetReached: String?
    }

    /// Where company-level answers are kept, and for which company and template.
    public struct CacheSlot: Sendable {
        public var cache: AgentCache
        public var company: String
        public var templateID: Int

        public init(cache: AgentCache, company: String, templateID: Int) {
            self.cache = cache
            self.company = company
            self.templateID = templateID
        }
    }

    let answers: ValidatedAnswer
    let settings: ModelSettings
    let fallback = ContextPackFiller()

    public init(client: ChatClient, settings: ModelSettings) {
        self.answers = ValidatedAnswer(client: client)
        self.settings = settings
    }

    /// The agents `names` need, with their dependencies, in a runnable order.
    static func agents(for names: [String]) -> [AgentKind] {
        var needed = Set(AgentKind.allCases.filter { !Set($0.produces).isDisjoint(with: names) })
        var changed = true
        while changed {
            changed = false
            for agent in needed { for dependency in agent.dependsOn where needed.insert(dependency).inserted { changed = true } }
        }
        return AgentKind.allCases.filter(needed.contains)
    }

    /// How many agents ask at once first for `names` (the most calls a contact has waiting together).
    public static func firstRound(for names: [String]) -> Int {
        agents(for: names).filter(\.dependsOn.isEmpty).count
    }

    /// - Parameter cache: company-level answers are read from and kept in it (nil: always asked).
    /// - Parameter meter: pays for every call before it is made; once one cannot be paid for, the
    ///   agents after it are not asked and ``Result/budgetReached`` says why.
    public func fill(_ names: [String], input: AgentPrompt.Input, cache: CacheSlot? = nil, meter: CallMeter? = nil) async -> Result {
        let agents = Self.agents(for: names)
        var outputs: [AgentKind: [DraftVariable]] = [:]
        var result = Result(variables: [], calls: 0, promptTokens: 0, completionTokens: 0, problems: [])
        let version = AgentPrompt.cacheVersion(input.lessons, instructions: input.instructions)
        if let cache {
            for agent in agents where AgentCache.companyLevel.contains(agent) {
                result.cacheLookups += 1
                if let kept = try? await cache.cache.get(agent, company: cache.company, templateID: cache.templateID, version: version) {
                    outputs[agent] = kept
                    result.cacheHits += 1
                }
            }
        }
        let first = agents.filter { $0.dependsOn.isEmpty && outputs[$0] == nil }
        await withTaskGroup(of: (AgentKind, [DraftVariable], ValidatedAnswer.Outcome?, Bool, String?).self) { group in
            for agent in first {
                group.addTask {
                    guard let cache, AgentCache.companyLevel.contains(agent) else {
                        let (_, variables, outcome) = await self.run(agent, input: input, earlier: [:], meter: meter)
                        return (agent, variables, outcome, false, nil)
                    }
                    // Another contact of this company asking the same agent right now answers for both.
                    let key = "\(cache.company)|\(cache.templateID)|\(version)|\(agent.rawValue)"
                    let (answer, shared) = await cache.cache.inFlight.answer(for: key) {
                        let (_, variables, outcome) = await self.run(agent, input: input, earlier: [:], meter: meter)
                        if outcome?.fields != nil {
                            try? await cache.cache.put(
                                agent, company: cache.company, templateID: cache.templateID, version: version, variables: variables)
                        }
                        return (variables, outcome)
                    }
                    return (agent, answer.variables, shared ? nil : answer.outcome, shared, answer.outcome?.budgetReached)
                }
            }
            for await (agent, variables, outcome, shared, budget) in group {
                outputs[agent] = variables
                result.add(agent, outcome)
                if shared { result.cacheHits += 1 }
                // An answer shared with a contact whose call the budget refused is no answer.
                if let budget, result.budgetReached == nil { result.budgetReached = budget }
            }
        }
        for agent in agents where !agent.dependsOn.isEmpty {
            guard result.budgetReached == nil else { break }
            var earlier: [String: String] = [:]
            for dependency in agent.dependsOn {
                for variable in outputs[dependency] ?? [] { earlier[variable.name] = variable.value }
            }
            let (_, variables, outcome) = await run(agent, input: input, earlier: earlier, meter: meter)
            outputs[agent] = variables
            result.add(agent, outcome)
        }
        let all = outputs.values.flatMap { $0 }
        result.variables = names.compactMap { name in all.first { $0.name == name } }
        return result
    }

    /// One agent: the model's values (levels 1–2), or the context pack's with the reason.
    private func run(_ agent: AgentKind, input: AgentPrompt.Input, earlier: [String: String], meter: CallMeter?) async -> (
        AgentKind, [DraftVariable], ValidatedAnswer.Outcome?
    ) {
        let model = agent.usesLargeModel ? settings.largeModel : settings.smallModel
        let outcome = await answers.ask(
            model: model, messages: AgentPrompt.messages(agent, input, earlier: earlier),
            schemaName: "\(agent.rawValue)_output", fields: agent.fields, meter: meter?.named(agent.rawValue))
        if let fields = outcome.fields {
            let fromSite = fields["source"]?.lowercased() == "site" && !(input.websiteText ?? "").isEmpty
            let confidence = Int(fields["confidence"] ?? "") ?? 3
            let variables = agent.produces.compactMap { name in
                fields[name].map {
                    DraftVariable(
                        name: name, value: $0, confidence: confidence, fallbackLevel: fromSite ? .companySite : .industryInference,
                        reasoning: fields["reasoning"] ?? "")
                }
            }
            return (agent, variables, outcome)
        }
        let reason = outcome.problems.last ?? "no answer"
        let variables = fallback.fill(agent.produces, for: input.contact, pack: input.pack).map { variable in
            var copy = variable
            copy.reasoning = "the model gave no usable answer (\(reason)); " + variable.reasoning
            return copy
        }
        return (agent, variables, outcome)
    }
}

extension AgentTeam.Result {
    mutating func add(_ agent: AgentKind, _ outcome: ValidatedAnswer.Outcome?) {
        guard let outcome else { return }
        calls += outcome.calls
        if let reason = outcome.budgetReached, budgetReached == nil { budgetReached = reason }
        promptTokens += outcome.promptTokens
        completionTokens += outcome.completionTokens
        if outcome.fields == nil { problems.append("\(agent.rawValue): \(outcome.problems.last ?? "no answer")") }
    }
}
