/// Asks the model for an agent's answer and keeps asking — at most twice more — while the answer
/// breaks the agent's schema or the writers' style rules, each time telling the model what was wrong
/// (its last answer and the problem). What it came to is returned either way: the fields, or the
/// reasons it gave up (the caller then falls back to the context pack and records why), with every
/// call's tokens counted — and, given a ``CallMeter``, paid for in the spend ledger before it is made.
public struct ValidatedAnswer: Sendable {
    /// One field of the answer and how it is checked.
    public struct Field: Sendable {
        public var name: String
        public var style: AgentOutputRules.Style

        public init(_ name: String, _ style: AgentOutputRules.Style) {
            self.name = name
            self.style = style
        }
    }

    /// What asking came to.
    public struct Outcome: Sendable {
        /// The checked fields, nil when every try failed.
        public var fields: [String: String]?
        /// Why each failed try failed, in order.
        public var problems: [String]
        /// Model calls made (retries after invalid answers included).
        public var calls: Int
        public var promptTokens: Int
        public var completionTokens: Int
        /// Why asking stopped before a call: the client's budget could not take it (nil: not stopped).
        public var budgetReached: String?
    }

    let client: ChatClient
    let rules = AgentOutputRules()
    /// How many times an invalid answer is asked again (SPEC: at most twice).
    let retries: Int

    public init(client: ChatClient, retries: Int = 2) {
        self.client = client
        self.retries = retries
    }

    /// Asks until the answer holds every field by the rules. A call that fails outright (the server
    /// refuses, or is down after its own retries, or the budget cannot take it) ends the asking with that reason.
    /// - Parameter meter: pays for each call before it is made (nil: calls are not paid for).
    public func ask(
        model: String, messages: [ChatMessage], schemaName: String, fields: [Field], maxTokens: Int = 600,
        meter: CallMeter? = nil
    ) async -> Outcome {
        let schema = OutputSchema(
            name: schemaName,
            fields: fields.map { field in
                if case .number = field.style { return (field.name, .integer) }
                return (field.name, .string)
            })
        var conversation = messages
        var outcome = Outcome(fields: nil, problems: [], calls: 0, promptTokens: 0, completionTokens: 0)
        for _ in 0...retries {
            outcome.calls += 1
            let completion: ChatCompletion
            do {
                completion = try await client.complete(model: model, messages: conversation, schema: schema, maxTokens: maxTokens, meter: meter)
            } catch {
                if case .budgetReached(let reason) = error { outcome.budgetReached = reason }
                outcome.problems.append(error.description)
                return outcome
            }
            outcome.promptTokens += completion.promptTokens
            outcome.completionTokens += completion.completionTokens
            if let why = completion.problem {
                outcome.problems.append(why)
                conversation.append(.user("Your last answer could not be read: \(why). Answer again with the JSON object only."))
                continue
            }
            if let problem = check(completion.object, fields: fields) {
                if let meter, let reservation = completion.reservation { await meter.invalid(reservation) }
                outcome.problems.append(problem)
                conversation.append(.assistant(completion.content))
                conversation.append(.user("That answer breaks a rule: \(problem). Answer again with the whole JSON object, corrected."))
                continue
            }
            outcome.fields = completion.object.filter { key, _ in fields.contains { $0.name == key } }
            return outcome
        }
        return outcome
    }

    /// The first problem of an answer: a missing field, or a value that breaks its rule.
    func check(_ object: [String: String], fields: [Field]) -> String? {
        for field in fields {
            guard let value = object[field.name] else { return "\"\(field.name)\" is missing" }
            if let problem = rules.problem(field: field.name, value: value, style: field.style) { return problem }
        }
        return nil
    }
}
