import GreenlightEmails
/// Company-level answers being asked for right now in this process: when contacts of one company
/// are drafted at once, the first asks the model and the others wait for its answer instead of each
/// asking too (the database cache then serves later contacts and other instances).
actor InFlightAnswers {
    typealias Answer = (variables: [DraftVariable], outcome: ValidatedAnswer.Outcome?)

    private var asking: [String: Task<Answer, Never>] = [:]

    /// The answer for `key`: asked with `ask` by the first caller, shared with those who come meanwhile.
    /// - Returns: the answer, and whether it was another caller's.
    func answer(for key: String, _ ask: @escaping @Sendable () async -> Answer) async -> (answer: Answer, shared: Bool) {
        if let running = asking[key] { return (await running.value, true) }
        let task = Task { await ask() }
        asking[key] = task
        let answer = await task.value
        asking[key] = nil
        return (answer, false)
    }
}
